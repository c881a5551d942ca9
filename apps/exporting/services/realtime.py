"""Real-time APIs: API Gateway WebSocket APIs (routes, authorizer, stage) and AppSync GraphQL APIs
(schema, data sources, resolvers, auth).

A WebSocket API keeps a connection open per client. Each route ($connect, $disconnect, $default or a
custom route key picked by the route selection expression) invokes one function; functions connected
to the API with 'write' post back to clients through its @connections management endpoint.
SAM has no WebSocket resource, so the SAM side writes the AWS::ApiGatewayV2 resources the CDK's
WebSocketApi, WebSocketStage and integrations make (auto-deployed stage, one Lambda permission per route).
An AppSync API is written with the AWS::AppSync resources on both sides (CDK's L1 constructs), as the
L2 GraphqlApi reads its schema from a file: each 'resolve' connection is a data source with a role that
may do what it needs, and a resolver when it names a field (a direct Lambda resolver, or APPSYNC_JS code
that gets or puts an item by the table's partition key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, tags, trust_policy, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

CONNECT = "$connect"
# A $connect route that only authorizes: API Gateway accepts the connection when the mock answers 200.
MOCK_CONNECT_TEMPLATE = '{"statusCode": 200}'
TEMPLATE_SELECTION = "\\$default"


def connect_needs_mock(sam_or_cdk: SamTemplate | CdkStack, api: Component) -> bool:
    """Authorization happens on $connect only: give it a route of its own when no function takes it."""
    plan = sam_or_cdk.plan
    routed = {key for _, key in plan.websocket_routes(api)}
    return plan.websocket_authorizer(api) is not None and CONNECT not in routed


def sam_api_gateway_websocket(sam: SamTemplate, api: Component) -> None:
    plan, logical = sam.plan, sam.id(api)
    stage = plan.prop(api, "stage_name")
    sam.add(
        logical,
        "AWS::ApiGatewayV2::Api",
        {
            "Name": sub(f"${{AWS::StackName}}-{api.id}"),
            "Description": plan.label(api),
            "ProtocolType": "WEBSOCKET",
            "RouteSelectionExpression": plan.prop(api, "route_selection_expression"),
            "Tags": tags(api),
        },
        api,
    )
    authorizer = plan.websocket_authorizer(api)
    connect_auth: dict[str, Any] = {}
    if authorizer == "AWS_IAM":
        connect_auth = {"AuthorizationType": "AWS_IAM"}
    elif isinstance(authorizer, Link):
        function = sam.id(authorizer.target)
        name = f"{logical}{function}Authorizer"
        sam.add(
            name,
            "AWS::ApiGatewayV2::Authorizer",
            {
                "ApiId": ref(logical),
                "Name": f"{api.id}-authorizer",
                "AuthorizerType": "REQUEST",
                "AuthorizerUri": sub(
                    f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{function}.Arn}}/invocations"
                ),
                "IdentitySource": [f"route.request.header.{authorizer.prop('identity_source')}"],
            },
            api,
        )
        sam.add(
            f"{name}Permission",
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": getatt(function, "Arn"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": sub(
                    f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{logical}}}/authorizers/${{{name}}}"
                ),
            },
            api,
        )
        connect_auth = {"AuthorizationType": "CUSTOM", "AuthorizerId": ref(name)}
    routes: list[str] = []
    for index, (link, key) in enumerate(plan.websocket_routes(api)):
        function, integration = sam.id(link.target), f"{logical}Integration{index + 1}"
        sam.add(
            integration,
            "AWS::ApiGatewayV2::Integration",
            {
                "ApiId": ref(logical),
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": sub(
                    f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{function}.Arn}}/invocations"
                ),
            },
            api,
        )
        route = f"{logical}Route{index + 1}"
        sam.add(
            route,
            "AWS::ApiGatewayV2::Route",
            {
                "ApiId": ref(logical),
                "RouteKey": key,
                **(connect_auth if key == CONNECT else {"AuthorizationType": "NONE"}),
                "Target": {"Fn::Join": ["/", ["integrations", ref(integration)]]},
            },
            api,
        )
        routes.append(route)
        sam.add(
            f"{route}Permission",
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": getatt(function, "Arn"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": sub(
                    f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{logical}}}/*/{key}"
                ),
            },
            api,
        )
    if connect_needs_mock(sam, api):
        integration, route = f"{logical}ConnectIntegration", f"{logical}ConnectRoute"
        sam.add(
            integration,
            "AWS::ApiGatewayV2::Integration",
            {
                "ApiId": ref(logical),
                "IntegrationType": "MOCK",
                "RequestTemplates": {"$default": MOCK_CONNECT_TEMPLATE},
                "TemplateSelectionExpression": TEMPLATE_SELECTION,
            },
            api,
        )
        sam.add(
            route,
            "AWS::ApiGatewayV2::Route",
            {
                "ApiId": ref(logical),
                "RouteKey": CONNECT,
                **connect_auth,
                "Target": {"Fn::Join": ["/", ["integrations", ref(integration)]]},
            },
            api,
        )
        routes.append(route)
    # An auto-deployed stage deploys the routes once they exist (no Deployment resource to keep in step).
    sam.add(
        f"{logical}Stage",
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": ref(logical),
            "StageName": stage,
            "AutoDeploy": True,
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": plan.prop(api, "throttling_rate_limit"),
                "ThrottlingBurstLimit": plan.prop(api, "throttling_burst_limit"),
            },
            "Tags": tags(api),
        },
        api,
        **({"DependsOn": routes} if routes else {}),
    )
    sam.output(
        f"{logical}Url",
        sub(f"wss://${{{logical}}}.execute-api.${{AWS::Region}}.amazonaws.com/{stage}"),
        f"WebSocket endpoint of {plan.label(api)}",
        api,
    )


def sam_callback_url(sam: SamTemplate, api: Component) -> Any:
    """The @connections endpoint a function posts to (https, the stage's callback URL)."""
    stage = sam.plan.prop(api, "stage_name")
    return sub(f"https://${{{sam.id(api)}}}.execute-api.${{AWS::Region}}.amazonaws.com/{stage}")


def sam_manage_connections(sam: SamTemplate, link: Link) -> list[Any]:
    api = link.target
    stage = sam.plan.prop(api, "stage_name")
    return [
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["execute-api:ManageConnections"],
                    "Resource": sub(
                        f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{sam.id(api)}}}/{stage}/*/@connections/*"
                    ),
                }
            ]
        }
    ]


def cdk_api_gateway_websocket(cdk: CdkStack, api: Component) -> None:
    plan, v, logical = cdk.plan, var(api), cdk.id(api)
    cdk.emit(f"# {logical}: WebSocket API")
    cdk.emit(
        f"{v} = apigwv2.WebSocketApi(self, {py(logical)}, description={py(plan.label(api))}, "
        f"route_selection_expression={py(plan.prop(api, 'route_selection_expression'))})"
    )
    authorizer = plan.websocket_authorizer(api)
    connect_auth = ""
    if authorizer == "AWS_IAM":
        connect_auth = ", authorizer=apigwv2_authorizers.WebSocketIamAuthorizer()"
    elif isinstance(authorizer, Link):
        header = f"route.request.header.{authorizer.prop('identity_source')}"
        connect_auth = (
            f", authorizer=apigwv2_authorizers.WebSocketLambdaAuthorizer({py(logical + cdk.id(authorizer.target) + 'Authorizer')}, "
            f"{var(authorizer.target)}, authorizer_name={py(api.id + '-authorizer')}, identity_source=[{py(header)}])"
        )
    for index, (link, key) in enumerate(plan.websocket_routes(api)):
        integration = f"apigwv2_integrations.WebSocketLambdaIntegration({py(f'{logical}Integration{index + 1}')}, {var(link.target)})"
        auth = connect_auth if key == CONNECT else ""
        cdk.emit(f"{v}.add_route({py(key)}, integration={integration}{auth})")
    if connect_needs_mock(cdk, api):
        mock = (
            f"apigwv2_integrations.WebSocketMockIntegration({py(logical + 'ConnectIntegration')}, "
            f"request_templates={{'$default': {py(MOCK_CONNECT_TEMPLATE)}}}, template_selection_expression={py(TEMPLATE_SELECTION)})"
        )
        cdk.emit(f"{v}.add_route({py(CONNECT)}, integration={mock}{connect_auth})")
    cdk.emit(
        f"{v}_stage = apigwv2.WebSocketStage(self, {py(logical + 'Stage')}, web_socket_api={v}, "
        f"stage_name={py(plan.prop(api, 'stage_name'))}, auto_deploy=True, "
        f"throttle=apigwv2.ThrottleSettings(rate_limit={plan.prop(api, 'throttling_rate_limit')}, "
        f"burst_limit={plan.prop(api, 'throttling_burst_limit')}))"
    )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}_stage.url)")
    cdk.emit()


def cdk_callback_url(cdk: CdkStack, api: Component) -> str:
    return f"{var(api)}_stage.callback_url"


def cdk_manage_connections(cdk: CdkStack, link: Link) -> str:
    return f"{var(link.target)}_stage.grant_management_api_access({var(link.source)})"


GRAPHQL_AUTH = {"api_key": "API_KEY", "iam": "AWS_IAM", "cognito": "AMAZON_COGNITO_USER_POOLS", "lambda": "AWS_LAMBDA"}
TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
]
APPSYNC_JS = {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}


def table_resolver_code(plan: Plan, table: Component, type_name: str) -> str:
    """Starter APPSYNC_JS code: a query gets the item whose partition key is an argument of the same name;
    a mutation puts its arguments (or its `input` argument) as the item. The key name is catalog-checked."""
    key = plan.prop(table, "partition_key")
    if type_name == "Query":
        request = f'  return ddb.get({{ key: {{ "{key}": ctx.args["{key}"] }} }});'
    else:
        request = f'  const item = ctx.args.input ?? ctx.args;\n  return ddb.put({{ key: {{ "{key}": item["{key}"] }}, item }});'
    return (
        "import * as ddb from '@aws-appsync/utils/dynamodb';\n\n"
        f"export function request(ctx) {{\n{request}\n}}\n\n"
        "export function response(ctx) {\n  return ctx.result;\n}\n"
    )


def data_sources(plan: Plan, api: Component) -> list[Link]:
    """One data source per connected table or function, however many fields it resolves."""
    return list({link.target.id: link for link in plan.out(api, "resolve")}.values())


def data_source_name(link: Link) -> str:
    return f"{link.target.id}_source"


def sam_appsync_api(sam: SamTemplate, api: Component) -> None:
    plan, logical = sam.plan, sam.id(api)
    auth = plan.prop(api, "auth")
    properties: dict[str, Any] = {
        "Name": sub(f"${{AWS::StackName}}-{api.id}"),
        "AuthenticationType": GRAPHQL_AUTH[auth],
        "XrayEnabled": bool(plan.prop(api, "tracing")),
        "Tags": tag_list(api),
    }
    authorizer = plan.graphql_authorizer(api)
    if authorizer is not None and authorizer.target.type == "cognito_user_pool":
        properties["UserPoolConfig"] = {
            "UserPoolId": ref(sam.id(authorizer.target)),
            "AwsRegion": ref("AWS::Region"),
            "DefaultAction": "ALLOW",
        }
    elif authorizer is not None:
        function = sam.id(authorizer.target)
        properties["LambdaAuthorizerConfig"] = {
            "AuthorizerUri": getatt(function, "Arn"),
            "AuthorizerResultTtlInSeconds": authorizer.prop("cache_ttl_s"),
        }
        sam.add(
            f"{logical}AuthorizerPermission",
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": getatt(function, "Arn"),
                "Principal": "appsync.amazonaws.com",
                "SourceArn": getatt(logical, "Arn"),
            },
            api,
        )
    sam.add(logical, "AWS::AppSync::GraphQLApi", properties, api)
    sam.add(
        f"{logical}Schema",
        "AWS::AppSync::GraphQLSchema",
        {"ApiId": getatt(logical, "ApiId"), "Definition": plan.prop(api, "schema")},
        api,
    )
    if auth == "api_key":
        # No Expires: AppSync makes the key last 7 days (the review says so; at most 365 days).
        sam.add(f"{logical}ApiKey", "AWS::AppSync::ApiKey", {"ApiId": getatt(logical, "ApiId")}, api)
    for link in data_sources(plan, api):
        target = sam.id(link.target)
        source = f"{logical}{target}Source"
        if link.target.type == "dynamodb_table":
            statement: dict[str, Any] = {
                "Effect": "Allow",
                "Action": TABLE_ACTIONS,
                "Resource": [getatt(target, "Arn"), sub(f"${{{target}.Arn}}/index/*")],
            }
            config: dict[str, Any] = {
                "Type": "AMAZON_DYNAMODB",
                "DynamoDBConfig": {"TableName": ref(target), "AwsRegion": ref("AWS::Region")},
            }
        else:
            statement = {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": getatt(target, "Arn")}
            config = {"Type": "AWS_LAMBDA", "LambdaConfig": {"LambdaFunctionArn": getatt(target, "Arn")}}
        sam.add(
            f"{source}Role",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": trust_policy("appsync.amazonaws.com"),
                "Policies": [
                    {"PolicyName": "data-source", "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}
                ],
            },
            api,
        )
        sam.add(
            source,
            "AWS::AppSync::DataSource",
            {
                "ApiId": getatt(logical, "ApiId"),
                "Name": data_source_name(link),
                "ServiceRoleArn": getatt(f"{source}Role", "Arn"),
                **config,
            },
            api,
        )
    for index, (link, type_name, field) in enumerate(plan.graphql_resolvers(api)):
        resolver: dict[str, Any] = {
            "ApiId": getatt(logical, "ApiId"),
            "TypeName": type_name,
            "FieldName": field,
            "DataSourceName": getatt(f"{logical}{sam.id(link.target)}Source", "Name"),
            "Kind": "UNIT",
        }
        if link.target.type == "dynamodb_table":
            resolver.update({"Runtime": APPSYNC_JS, "Code": table_resolver_code(plan, link.target, type_name)})
        sam.add(f"{logical}Resolver{index + 1}", "AWS::AppSync::Resolver", resolver, api, DependsOn=f"{logical}Schema")
    sam.output(f"{logical}Url", getatt(logical, "GraphQLUrl"), f"GraphQL endpoint of {plan.label(api)}", api)


def cdk_appsync_api(cdk: CdkStack, api: Component) -> None:
    plan, v, logical = cdk.plan, var(api), cdk.id(api)
    auth = plan.prop(api, "auth")
    args = [
        f"name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(api.id)}])",
        f"authentication_type={py(GRAPHQL_AUTH[auth])}",
        f"xray_enabled={bool(plan.prop(api, 'tracing'))}",
        f"tags=[cdk.CfnTag(key='tierplan:component', value={py(api.id)})]",
    ]
    authorizer = plan.graphql_authorizer(api)
    if authorizer is not None and authorizer.target.type == "cognito_user_pool":
        args.append(
            f"user_pool_config=appsync.CfnGraphQLApi.UserPoolConfigProperty(user_pool_id={var(authorizer.target)}.user_pool_id, "
            "aws_region=cdk.Aws.REGION, default_action='ALLOW')"
        )
    elif authorizer is not None:
        args.append(
            f"lambda_authorizer_config=appsync.CfnGraphQLApi.LambdaAuthorizerConfigProperty(authorizer_uri={var(authorizer.target)}.function_arn, "
            f"authorizer_result_ttl_in_seconds={authorizer.prop('cache_ttl_s')})"
        )
    cdk.emit(f"# {logical}: AppSync GraphQL API")
    cdk.emit(f"{v} = appsync.CfnGraphQLApi(self, {py(logical)}, {', '.join(args)})")
    if authorizer is not None and authorizer.target.type == "lambda_function":
        cdk.emit(
            f"{var(authorizer.target)}.add_permission({py(logical + 'AuthorizerPermission')}, principal=iam.ServicePrincipal('appsync.amazonaws.com'), "
            f"action='lambda:InvokeFunction', source_arn={v}.attr_arn)"
        )
    cdk.emit(
        f"{v}_schema = appsync.CfnGraphQLSchema(self, {py(logical + 'Schema')}, api_id={v}.attr_api_id, definition={py(plan.prop(api, 'schema'))})"
    )
    if auth == "api_key":
        cdk.emit(f"appsync.CfnApiKey(self, {py(logical + 'ApiKey')}, api_id={v}.attr_api_id)")
    for link in data_sources(plan, api):
        t, source = var(link.target), f"{logical}{cdk.id(link.target)}Source"
        if link.target.type == "dynamodb_table":
            statement = f"iam.PolicyStatement(actions={py(TABLE_ACTIONS)}, resources=[{t}.table_arn, {t}.table_arn + '/index/*'])"
            config = (
                "type='AMAZON_DYNAMODB', dynamo_db_config=appsync.CfnDataSource.DynamoDBConfigProperty("
                f"table_name={t}.table_name, aws_region=cdk.Aws.REGION)"
            )
        else:
            statement = f"iam.PolicyStatement(actions=['lambda:InvokeFunction'], resources=[{t}.function_arn])"
            config = f"type='AWS_LAMBDA', lambda_config=appsync.CfnDataSource.LambdaConfigProperty(lambda_function_arn={t}.function_arn)"
        role = f"{v}_{link.target.id}_role"
        cdk.emit(
            f"{role} = iam.Role(self, {py(source + 'Role')}, assumed_by=iam.ServicePrincipal('appsync.amazonaws.com'), "
            f"inline_policies={{'data-source': iam.PolicyDocument(statements=[{statement}])}})"
        )
        cdk.emit(
            f"{v}_{link.target.id}_source = appsync.CfnDataSource(self, {py(source)}, api_id={v}.attr_api_id, "
            f"name={py(data_source_name(link))}, service_role_arn={role}.role_arn, {config})"
        )
    for index, (link, type_name, field) in enumerate(plan.graphql_resolvers(api)):
        extra = ""
        if link.target.type == "dynamodb_table":
            code = table_resolver_code(plan, link.target, type_name)
            extra = f", runtime=appsync.CfnResolver.AppSyncRuntimeProperty(name='APPSYNC_JS', runtime_version='1.0.0'), code={py(code)}"
        resolver = f"{v}_resolver_{index + 1}"
        cdk.emit(
            f"{resolver} = appsync.CfnResolver(self, {py(f'{logical}Resolver{index + 1}')}, api_id={v}.attr_api_id, "
            f"type_name={py(type_name)}, field_name={py(field)}, data_source_name={v}_{link.target.id}_source.attr_name, kind='UNIT'{extra})"
        )
        cdk.emit(f"{resolver}.add_dependency({v}_schema)")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}.attr_graph_ql_url)")
    cdk.emit()


SERVICES = (
    Service(
        "api_gateway_websocket",
        sam=sam_api_gateway_websocket,
        cdk=cdk_api_gateway_websocket,
        cdk_order=52,
        sam_env=sam_callback_url,
        cdk_env=cdk_callback_url,
        sam_policies=sam_manage_connections,
        cdk_grant=cdk_manage_connections,
    ),
    Service("appsync_api", sam=sam_appsync_api, cdk=cdk_appsync_api, cdk_order=53),
)
