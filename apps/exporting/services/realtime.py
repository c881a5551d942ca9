"""Real-time APIs: API Gateway WebSocket APIs, their routes, authorizer and stage.

A WebSocket API keeps a connection open per client. Each route ($connect, $disconnect, $default or a
custom route key picked by the route selection expression) invokes one function; functions connected
to the API with 'write' post back to clients through its @connections management endpoint.
SAM has no WebSocket resource, so the SAM side writes the AWS::ApiGatewayV2 resources the CDK's
WebSocketApi, WebSocketStage and integrations make (auto-deployed stage, one Lambda permission per route).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tags, var
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
)
