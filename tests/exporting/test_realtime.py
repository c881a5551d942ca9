"""What the export writes for a WebSocket API: its routes, $connect authorization, stage and the
functions that post back to its connections."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import validate_design
from apps.designs.patterns import pattern_library
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.plan import ExportError, Plan

HOSTILE_LABEL = "Chat ${AWS::AccountId} {{resolve:ssm:/secret}}"


def chat(*, auth: str = "none", routes: dict[str, str] | None = None, label: str = "Chat") -> dict[str, Any]:
    """browser → WebSocket API → one function per route key; ``send`` posts back to connections."""
    routes = routes if routes is not None else {"$connect": "connect", "sendmessage": "send"}
    components: list[dict[str, Any]] = [
        {"id": "web", "type": "browser"},
        {"id": "chat", "type": "api_gateway_websocket", "label": label, "props": {"auth": auth}},
        {"id": "send", "type": "lambda_function"},
        *({"id": name, "type": "lambda_function"} for name in sorted(set(routes.values()) - {"send"})),
    ]
    connections: list[dict[str, Any]] = [
        {"id": "open", "source": "web", "target": "chat", "kind": "request"},
        {"id": "post", "source": "send", "target": "chat", "kind": "write"},
    ]
    for index, (key, target) in enumerate(routes.items()):
        props = {"route_key": key} if key else {}
        connections.append({"id": f"r{index}", "source": "chat", "target": target, "kind": "invoke", "props": props})
    if auth == "lambda":
        components.append({"id": "authz", "type": "lambda_function", "props": {"role": "authorizer"}})
        connections.append({"id": "check", "source": "chat", "target": "authz", "kind": "authorize"})
    return {"schema": "tierplan.design/v1", "name": "Chat", "components": components, "connections": connections}


def resources(doc: dict[str, Any]) -> dict[str, Any]:
    template = yaml.safe_load(sam_files(validate_design(doc))["template.yaml"])
    return template["Resources"]


def stack(doc: dict[str, Any]) -> str:
    return cdk_files(validate_design(doc))["tierplan_stack.py"]


def of_type(found: dict[str, Any], resource_type: str) -> dict[str, Any]:
    return {name: r["Properties"] for name, r in found.items() if r["Type"] == resource_type}


def test_the_api_is_a_websocket_api_with_its_route_selection_expression() -> None:
    api = resources(chat())["Chat"]
    assert api["Type"] == "AWS::ApiGatewayV2::Api"
    assert api["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert api["Properties"]["RouteSelectionExpression"] == "$request.body.action"


def test_each_route_key_invokes_its_function_with_a_permission_for_that_route() -> None:
    found = resources(chat())
    routes = {r["RouteKey"]: r for r in of_type(found, "AWS::ApiGatewayV2::Route").values()}
    assert set(routes) == {"$connect", "sendmessage"}
    integrations = of_type(found, "AWS::ApiGatewayV2::Integration")
    assert {i["IntegrationType"] for i in integrations.values()} == {"AWS_PROXY"}
    permissions = [p["SourceArn"]["Fn::Sub"] for p in of_type(found, "AWS::Lambda::Permission").values()]
    assert any(arn.endswith("${Chat}/*/sendmessage") for arn in permissions)
    stage = of_type(found, "AWS::ApiGatewayV2::Stage")["ChatStage"]
    assert stage["AutoDeploy"] is True and stage["StageName"] == "prod"


def test_a_single_unrouted_function_takes_the_default_route() -> None:
    found = resources(chat(routes={"": "send"}))
    assert [r["RouteKey"] for r in of_type(found, "AWS::ApiGatewayV2::Route").values()] == ["$default"]


def test_a_function_that_writes_to_the_api_gets_its_callback_url_and_may_manage_connections_only() -> None:
    send = resources(chat())["Send"]["Properties"]
    assert send["Environment"]["Variables"]["CHAT_CALLBACK_URL"] == {
        "Fn::Sub": "https://${Chat}.execute-api.${AWS::Region}.amazonaws.com/prod"
    }
    (statement,) = send["Policies"][0]["Statement"]
    assert statement["Action"] == ["execute-api:ManageConnections"]
    assert statement["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Chat}/prod/*/@connections/*"
    }
    code = stack(chat())
    assert "c_send.add_environment('CHAT_CALLBACK_URL', c_chat_stage.callback_url)" in code
    assert "c_chat_stage.grant_management_api_access(c_send)" in code


def test_a_lambda_authorizer_checks_clients_on_connect_only() -> None:
    found = resources(chat(auth="lambda"))
    (authorizer,) = of_type(found, "AWS::ApiGatewayV2::Authorizer").values()
    assert authorizer["AuthorizerType"] == "REQUEST"
    assert authorizer["IdentitySource"] == ["route.request.header.Authorization"]
    routes = {r["RouteKey"]: r for r in of_type(found, "AWS::ApiGatewayV2::Route").values()}
    assert routes["$connect"]["AuthorizationType"] == "CUSTOM"
    assert routes["sendmessage"]["AuthorizationType"] == "NONE"
    assert "apigwv2_authorizers.WebSocketLambdaAuthorizer(" in stack(chat(auth="lambda"))


def test_iam_auth_without_a_connect_function_gets_a_mock_connect_route_that_authorizes() -> None:
    found = resources(chat(auth="iam", routes={"sendmessage": "send"}))
    routes = {r["RouteKey"]: r for r in of_type(found, "AWS::ApiGatewayV2::Route").values()}
    assert routes["$connect"]["AuthorizationType"] == "AWS_IAM"
    mock = found["ChatConnectIntegration"]["Properties"]
    assert mock["IntegrationType"] == "MOCK" and mock["RequestTemplates"] == {"$default": '{"statusCode": 200}'}
    assert "WebSocketMockIntegration(" in stack(chat(auth="iam", routes={"sendmessage": "send"}))


def test_two_functions_on_one_route_key_are_refused() -> None:
    doc = chat(routes={"sendmessage": "send"})
    doc["components"].append({"id": "other", "type": "lambda_function"})
    doc["connections"].append(
        {"id": "again", "source": "chat", "target": "other", "kind": "invoke", "props": {"route_key": "sendmessage"}}
    )
    with pytest.raises(ExportError, match="already routes sendmessage"):
        Plan(validate_design(doc))


def test_a_method_and_path_route_on_a_websocket_api_is_refused() -> None:
    doc = chat(routes={})
    doc["connections"].append(
        {"id": "rest_like", "source": "chat", "target": "send", "kind": "invoke", "props": {"route": "POST /send"}}
    )
    with pytest.raises(ExportError, match="routes by route_key"):
        Plan(validate_design(doc))


def test_a_route_key_means_nothing_to_other_sources() -> None:
    # Like an S3 event name on an SNS subscription: a prop of the kind that does not apply to the pair.
    def with_caller(**props: str) -> dict[str, Any]:
        doc = chat()
        doc["components"].append({"id": "caller", "type": "lambda_function"})
        doc["connections"].append(
            {"id": "call", "source": "caller", "target": "send", "kind": "invoke", "props": props}
        )
        return doc

    assert resources(with_caller(route_key="sendmessage")) == resources(with_caller())


def test_lambda_auth_without_an_authorizer_is_refused() -> None:
    doc = chat()
    doc["components"][1]["props"]["auth"] = "lambda"
    with pytest.raises(ExportError, match="no lambda_function is connected"):
        Plan(validate_design(doc))


def test_a_hostile_label_stays_escaped_in_both_exports() -> None:
    doc = chat(label=HOSTILE_LABEL)
    template = sam_files(validate_design(doc))["template.yaml"]
    code = stack(doc)
    for text in (template, code):
        assert "{{resolve" not in text and "${AWS::AccountId} {" not in text


def test_the_chat_pattern_exports_its_three_routes() -> None:
    found = yaml.safe_load(sam_files(pattern_library()["websocket-chat"].design)["template.yaml"])["Resources"]
    keys = {r["RouteKey"] for r in of_type(found, "AWS::ApiGatewayV2::Route").values()}
    assert keys == {"$connect", "$disconnect", "sendmessage"}


# -- AppSync GraphQL APIs -------------------------------------------------------------------------------

SCHEMA = "type Order {\n  id: ID!\n}\ntype Query {\n  getOrder(id: ID!): Order\n  suggest(id: ID!): [Order]\n}\ntype Mutation {\n  putOrder(id: ID!): Order\n}\n"


def graphql(*, auth: str = "api_key", fields: dict[str, str] | None = None, label: str = "Orders") -> dict[str, Any]:
    """browser → AppSync API resolving fields from a table and a function."""
    fields = fields if fields is not None else {"Query.getOrder": "orders", "Mutation.putOrder": "orders",
                                                  "Query.suggest": "suggest"}  # fmt: skip
    components: list[dict[str, Any]] = [
        {"id": "web", "type": "browser"},
        {"id": "gql", "type": "appsync_api", "label": label, "props": {"auth": auth, "schema": SCHEMA}},
        {"id": "orders", "type": "dynamodb_table", "props": {"partition_key": "id"}},
        {"id": "suggest", "type": "lambda_function"},
        {"id": "users", "type": "cognito_user_pool"},
    ]
    connections: list[dict[str, Any]] = [{"id": "q", "source": "web", "target": "gql", "kind": "request"}]
    for index, (field, target) in enumerate(fields.items()):
        props = {"field": field} if field else {}
        connections.append({"id": f"f{index}", "source": "gql", "target": target, "kind": "resolve", "props": props})
    if auth == "cognito":
        connections.append({"id": "check", "source": "gql", "target": "users", "kind": "authorize"})
    return {"schema": "tierplan.design/v1", "name": "GraphQL", "components": components, "connections": connections}


def test_the_graphql_api_has_its_schema_and_an_api_key_by_default() -> None:
    found = resources(graphql())
    assert found["Gql"]["Type"] == "AWS::AppSync::GraphQLApi"
    assert found["Gql"]["Properties"]["AuthenticationType"] == "API_KEY"
    assert found["GqlSchema"]["Properties"]["Definition"].startswith("type Order {   id: ID! }")
    assert found["GqlApiKey"]["Type"] == "AWS::AppSync::ApiKey"


def test_one_data_source_per_table_or_function_with_a_role_that_may_use_it_only() -> None:
    found = resources(graphql())
    sources = of_type(found, "AWS::AppSync::DataSource")
    assert {s["Name"]: s["Type"] for s in sources.values()} == {
        "orders_source": "AMAZON_DYNAMODB",
        "suggest_source": "AWS_LAMBDA",
    }
    (statement,) = found["GqlOrdersSourceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == [{"Fn::GetAtt": ["Orders", "Arn"]}, {"Fn::Sub": "${Orders.Arn}/index/*"}]
    (statement,) = found["GqlSuggestSourceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["lambda:InvokeFunction"]


def test_table_fields_get_appsync_js_resolvers_and_function_fields_direct_lambda_resolvers() -> None:
    resolvers = {
        (r["TypeName"], r["FieldName"]): r for r in of_type(resources(graphql()), "AWS::AppSync::Resolver").values()
    }
    assert set(resolvers) == {("Query", "getOrder"), ("Mutation", "putOrder"), ("Query", "suggest")}
    get = resolvers[("Query", "getOrder")]
    assert get["Runtime"] == {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}
    assert 'ddb.get({ key: { "id": ctx.args["id"] } })' in get["Code"]
    assert "ddb.put(" in resolvers[("Mutation", "putOrder")]["Code"]
    assert "Code" not in resolvers[("Query", "suggest")]


def test_a_resolve_connection_without_a_field_is_a_data_source_without_a_resolver() -> None:
    found = resources(graphql(fields={"": "orders"}))
    assert len(of_type(found, "AWS::AppSync::DataSource")) == 1
    assert of_type(found, "AWS::AppSync::Resolver") == {}


def test_cognito_auth_uses_the_connected_user_pool() -> None:
    api = resources(graphql(auth="cognito"))["Gql"]["Properties"]
    assert api["AuthenticationType"] == "AMAZON_COGNITO_USER_POOLS"
    assert api["UserPoolConfig"]["UserPoolId"] == {"Ref": "Users"}
    assert "user_pool_config=appsync.CfnGraphQLApi.UserPoolConfigProperty(user_pool_id=c_users.user_pool_id" in stack(
        graphql(auth="cognito")
    )


def test_a_field_the_schema_does_not_declare_is_refused() -> None:
    with pytest.raises(ExportError, match="declares no field 'listOrders' on type Query"):
        Plan(validate_design(graphql(fields={"Query.listOrders": "orders"})))


def test_cognito_auth_without_a_user_pool_is_refused() -> None:
    doc = graphql()
    doc["components"][1]["props"]["auth"] = "cognito"
    with pytest.raises(ExportError, match="no cognito_user_pool is connected"):
        Plan(validate_design(doc))


def test_a_schema_with_comments_is_refused_as_the_export_writes_it_on_one_line() -> None:
    from apps.designs.document import DesignInvalid

    doc = graphql()
    doc["components"][1]["props"]["schema"] = "# orders\ntype Query {\n  a: Int\n}"
    with pytest.raises(DesignInvalid):
        validate_design(doc)


def test_a_hostile_graphql_label_stays_escaped() -> None:
    doc = graphql(label=HOSTILE_LABEL)
    for text in (sam_files(validate_design(doc))["template.yaml"], stack(doc)):
        assert "{{resolve" not in text and "${AWS::AccountId} {" not in text
