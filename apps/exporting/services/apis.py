"""APIs: API Gateway REST and HTTP APIs, their routes, authorizers and direct service integrations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tags, trust_policy, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import Service
from apps.exporting.services.integrations import (
    Attr,
    actions_of,
    cdk_arn,
    cdk_text,
    http_integration,
    is_service_route,
    rest_integration,
    sam_arn,
    sam_sub,
    sam_text,
    sam_value,
    service_routes,
    starts_and_waits,
)
from apps.exporting.services.private_links import (
    cdk_http_private_integration,
    cdk_rest_private_method,
    cdk_vpc_links,
    is_private_route,
    sam_http_private_integration,
    sam_rest_private_operation,
    sam_vpc_links,
)

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

# What ANY means for an integration that differs by method (OPTIONS stays the CORS preflight's).
REST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
BY_METHOD = {"dynamodb_table", "s3_bucket"}


def sam_api_gateway_rest(sam: SamTemplate, api: Component) -> None:
    plan, logical = sam.plan, sam.id(api)
    stage = f"{logical}StageName"  # SAM itself names the stage resource <Api>Stage
    sam.parameters[stage] = {
        "Type": "String",
        "Default": plan.prop(api, "stage_name"),
        "AllowedPattern": "^[A-Za-z0-9_]+$",
        "Description": f"Stage of {plan.label(api)}",
    }
    cache_size = plan.prop(api, "cache_size_gb")
    method_settings: dict[str, Any] = {
        "ResourcePath": "/*",
        "HttpMethod": "*",
        "MetricsEnabled": True,
        "ThrottlingRateLimit": plan.prop(api, "throttling_rate_limit"),
        "ThrottlingBurstLimit": plan.prop(api, "throttling_burst_limit"),
    }
    if plan.prop(api, "logging"):
        method_settings["LoggingLevel"] = "ERROR"
    if cache_size:
        method_settings.update({"CachingEnabled": True, "CacheTtlInSeconds": 300})
    properties: dict[str, Any] = {
        "Name": sub(f"${{AWS::StackName}}-{api.id}"),
        "Description": plan.label(api),
        "StageName": ref(stage),
        "EndpointConfiguration": {"Type": plan.prop(api, "endpoint_type").upper()},
        "TracingEnabled": bool(plan.prop(api, "tracing")),
        "MethodSettings": [method_settings],
        "Tags": tags(api),
    }
    if cache_size:
        properties.update({"CacheClusterEnabled": True, "CacheClusterSize": str(cache_size)})
    if plan.prop(api, "logging"):
        sam_api_gateway_account(sam)
        sam.add(f"{logical}AccessLogs", "AWS::Logs::LogGroup", {"RetentionInDays": 30}, api)
        properties["AccessLogSetting"] = {
            "DestinationArn": getatt(f"{logical}AccessLogs", "Arn"),
            "Format": '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","path":"$context.path","status":"$context.status","latency":"$context.responseLatency"}',
        }
    if plan.prop(api, "endpoint_type") == "private":
        properties["Auth"] = {
            "ResourcePolicy": {
                "CustomStatements": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "execute-api:Invoke",
                        "Resource": "execute-api:/*",
                    }
                ]
            }
        }
    auth = sam_rest_auth(sam, api)
    if auth:
        properties.setdefault("Auth", {}).update(auth)
    origins = plan.cors_origins(api)
    if origins:
        properties["Cors"] = {
            "AllowOrigin": f"'{origins[0]}'",
            "AllowHeaders": "'Content-Type,Authorization,X-Api-Key'",
            "AllowMethods": "'GET,POST,PUT,PATCH,DELETE,OPTIONS'",
            "MaxAge": "'600'",
        }
    integrations = service_routes(plan, api)
    if integrations:
        sam_vpc_links(sam, api)
        properties["DefinitionBody"] = sam_rest_definition(sam, api, integrations)
    sam.add(logical, "AWS::Serverless::Api", properties, api)
    sam.output(
        f"{logical}Url",
        sub(f"https://${{{logical}}}.execute-api.${{AWS::Region}}.amazonaws.com/${{{stage}}}"),
        f"Endpoint of {plan.label(api)}",
        api,
    )


def sam_api_gateway_account(sam: SamTemplate) -> None:
    # Execution and access logging need the account-wide CloudWatch role of API Gateway.
    if "ApiGatewayAccount" in sam.resources:
        return
    sam.add(
        "ApiGatewayCloudWatchRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("apigateway.amazonaws.com"),
            "ManagedPolicyArns": [
                sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")
            ],
        },
    )
    sam.add(
        "ApiGatewayAccount",
        "AWS::ApiGateway::Account",
        {"CloudWatchRoleArn": getatt("ApiGatewayCloudWatchRole", "Arn")},
    )


def sam_rest_auth(sam: SamTemplate, api: Component) -> dict[str, Any]:
    plan = sam.plan
    auth: dict[str, Any] = {}
    authorizers: dict[str, Any] = {}
    for link in plan.authorizers(api):
        name = f"{sam.id(link.target)}Authorizer"
        header = link.prop("identity_source")
        if link.target.type == "cognito_user_pool":
            authorizers[name] = {"UserPoolArn": getatt(sam.id(link.target), "Arn"), "Identity": {"Header": header}}
        else:
            authorizers[name] = {
                "FunctionArn": getatt(sam.id(link.target), "Arn"),
                "Identity": {"Header": header, "ReauthorizeEvery": link.prop("cache_ttl_s")},
            }
    if authorizers:
        auth["Authorizers"] = authorizers
    default = plan.default_authorizer(api)
    if default == "AWS_IAM":
        auth["DefaultAuthorizer"] = "AWS_IAM"
    elif isinstance(default, Link):
        auth["DefaultAuthorizer"] = f"{sam.id(default.target)}Authorizer"
    if plan.prop(api, "auth") == "api_key":
        auth.update(
            {
                "ApiKeyRequired": True,
                "UsagePlan": {"CreatePlan": "PER_API", "Description": f"Usage plan of {plan.label(api)}"},
            }
        )
    if auth.get("DefaultAuthorizer") and plan.cors_origins(api):
        auth["AddDefaultAuthorizerToCorsPreflight"] = False
    return auth


def sam_integration_role(sam: SamTemplate, api: Component, integrations: list[tuple[Link, str, str]]) -> str:
    name = f"{sam.id(api)}IntegrationRole"
    statements = [
        {"Effect": "Allow", "Action": list(actions), "Resource": sam_arn(link, sam.id(link.target), objects)}
        for link, actions, objects in actions_of(sam.plan, api.type, expanded(sam.plan, api, integrations))
    ]
    sam.add(
        name,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("apigateway.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "service-integrations",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
        api,
    )
    return name


def expanded(plan: Plan, api: Component, routes: list[tuple[Link, str, str]]) -> list[tuple[Link, str, str]]:
    """REST routes with ANY written out per method where the integration differs by method (S3 and
    DynamoDB), leaving out the methods another route of the API's same path already takes."""
    if api.type != "api_gateway_rest":
        return routes
    taken = {(path, method) for _, method, path in plan.routes(api) if method != "ANY"}
    result = []
    for link, method, path in routes:
        if method == "ANY" and link.target.type in BY_METHOD:
            result += [(link, verb, path) for verb in REST_METHODS if (path, verb) not in taken]
        else:
            result.append((link, method, path))
    return result


def sam_rest_definition(sam: SamTemplate, api: Component, integrations: list[tuple[Link, str, str]]) -> dict[str, Any]:
    # Routes to a load balancer go through a VPC link and need no role.
    aws_routes = [route for route in integrations if not is_private_route(route[0])]
    role = sam_integration_role(sam, api, aws_routes) if aws_routes else ""
    paths: dict[str, Any] = {}
    for link, method, path in expanded(sam.plan, api, integrations):
        if is_private_route(link):
            verb = "x-amazon-apigateway-any-method" if method == "ANY" else method.lower()
            paths.setdefault(path, {})[verb] = sam_rest_private_operation(sam, link, method, path)
            continue
        target = sam.id(link.target)
        spec = rest_integration(sam.plan, link, method, path)
        kind = f"action/{spec.action}" if spec.action else f"path/{sam_text(spec.path, target)}"
        integration: dict[str, Any] = {
            "type": "aws",
            "httpMethod": spec.http_method,
            "uri": sub(f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:{spec.service}:{kind}"),
            "credentials": getatt(role, "Arn"),
            "requestParameters": {
                **{f"integration.request.header.{name}": value for name, value in spec.headers.items()},
                **spec.parameters,
            },
            "passthroughBehavior": "never" if spec.template else "when_no_templates",
            "responses": {"default": {"statusCode": "200"}},
        }
        if spec.template:
            integration["requestTemplates"] = {"application/json": sam_sub(spec.template, target)}
        operation: dict[str, Any] = {
            "x-amazon-apigateway-integration": integration,
            "responses": {"200": {"description": "Accepted"}},
        }
        if spec.method_parameters:
            operation["parameters"] = [
                {"name": name, "in": where, "required": True, "schema": {"type": "string"}}
                for name, where in spec.method_parameters
            ]
        verb = "x-amazon-apigateway-any-method" if method == "ANY" else method.lower()
        paths.setdefault(path, {})[verb] = operation
    return {"openapi": "3.0.1", "info": {"title": sam.plan.label(api), "version": "1.0"}, "paths": paths}


def sam_api_gateway_http(sam: SamTemplate, api: Component) -> None:
    plan, logical = sam.plan, sam.id(api)
    stage = f"{logical}StageName"
    sam.parameters[stage] = {
        "Type": "String",
        "Default": plan.prop(api, "stage_name"),
        "AllowedPattern": r"^(\$default|[A-Za-z0-9_]+)$",
        "Description": f"Stage of {plan.label(api)}",
    }
    properties: dict[str, Any] = {
        "Description": plan.label(api),
        "StageName": ref(stage),
        "DefaultRouteSettings": {
            "ThrottlingRateLimit": plan.prop(api, "throttling_rate_limit"),
            "ThrottlingBurstLimit": plan.prop(api, "throttling_burst_limit"),
        },
        "Tags": tags(api),
    }
    if plan.prop(api, "logging"):
        sam.add(f"{logical}AccessLogs", "AWS::Logs::LogGroup", {"RetentionInDays": 30}, api)
        properties["AccessLogSettings"] = {
            "DestinationArn": getatt(f"{logical}AccessLogs", "Arn"),
            "Format": '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","routeKey":"$context.routeKey","status":"$context.status","latency":"$context.responseLatency"}',
        }
    auth: dict[str, Any] = {}
    authorizers: dict[str, Any] = {}
    for link in plan.authorizers(api):
        name = f"{sam.id(link.target)}Authorizer"
        header = link.prop("identity_source")
        if link.target.type == "cognito_user_pool":
            pool = sam.id(link.target)
            authorizers[name] = {
                "JwtConfiguration": {
                    "issuer": sub(f"https://cognito-idp.${{AWS::Region}}.amazonaws.com/${{{pool}}}"),
                    "audience": [ref(f"{pool}Client")],
                },
                "IdentitySource": f"$request.header.{header}",
            }
        else:
            authorizers[name] = {
                "FunctionArn": getatt(sam.id(link.target), "Arn"),
                "AuthorizerPayloadFormatVersion": "2.0",
                "EnableSimpleResponses": True,
                "EnableFunctionDefaultPermissions": True,
                "Identity": {"Headers": [header], "ReauthorizeEvery": link.prop("cache_ttl_s")},
            }
    if authorizers:
        auth["Authorizers"] = authorizers
    default = plan.default_authorizer(api)
    if default == "AWS_IAM":
        auth.update({"EnableIamAuthorizer": True, "DefaultAuthorizer": "AWS_IAM"})
    elif isinstance(default, Link):
        auth["DefaultAuthorizer"] = f"{sam.id(default.target)}Authorizer"
    if auth:
        properties["Auth"] = auth
    origins = plan.cors_origins(api)
    if origins:
        properties["CorsConfiguration"] = {
            "AllowOrigins": origins,
            "AllowHeaders": ["content-type", "authorization"],
            "AllowMethods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            "MaxAge": 600,
        }
    integrations = service_routes(plan, api)
    if integrations:
        sam_vpc_links(sam, api)
        properties["DefinitionBody"] = sam_http_definition(sam, api, integrations)
    sam.add(logical, "AWS::Serverless::HttpApi", properties, api)
    sam.output(
        f"{logical}Url",
        sub(f"https://${{{logical}}}.execute-api.${{AWS::Region}}.amazonaws.com/"),
        f"Endpoint of {plan.label(api)}",
        api,
    )


def sam_http_definition(sam: SamTemplate, api: Component, integrations: list[tuple[Link, str, str]]) -> dict[str, Any]:
    # Routes to a load balancer go through a VPC link and need no role.
    aws_routes = [route for route in integrations if not is_private_route(route[0])]
    role = sam_integration_role(sam, api, aws_routes) if aws_routes else ""
    paths: dict[str, Any] = {}
    for link, method, path in integrations:
        verb = "x-amazon-apigateway-any-method" if method == "ANY" else method.lower()
        if is_private_route(link):
            paths.setdefault(path, {})[verb] = {
                "x-amazon-apigateway-integration": sam_http_private_integration(sam, link),
                "responses": {"default": {"description": "Response of the load balancer"}},
            }
            continue
        target = sam.id(link.target)
        spec = http_integration(sam.plan, link)
        paths.setdefault(path, {})[verb] = {
            "x-amazon-apigateway-integration": {
                "type": "aws_proxy",
                "integrationSubtype": spec.subtype,
                "credentials": getatt(role, "Arn"),
                "requestParameters": {name: sam_value(value, target) for name, value in spec.parameters.items()},
                "payloadFormatVersion": "1.0",
                "connectionType": "INTERNET",
            },
            "responses": {"default": {"description": "Accepted"}},
        }
    return {"openapi": "3.0.1", "info": {"title": sam.plan.label(api), "version": "1.0"}, "paths": paths}


def cdk_integration_role(cdk: CdkStack, api: Component, integrations: list[tuple[Link, str, str]]) -> str:
    role = f"{var(api)}_integrations"
    cdk.emit(
        f"{role} = iam.Role(self, {py(cdk.id(api) + 'IntegrationRole')}, assumed_by=iam.ServicePrincipal('apigateway.amazonaws.com'))"
    )
    for link, actions, objects in actions_of(cdk.plan, api.type, expanded(cdk.plan, api, integrations)):
        cdk.emit(
            f"{role}.add_to_policy(iam.PolicyStatement(actions={py(list(actions))}, resources=[{cdk_arn(link, objects)}]))"
        )
    return role


def cdk_api_gateway_rest(cdk: CdkStack, api: Component) -> None:
    plan, v, logical = cdk.plan, var(api), cdk.id(api)
    cache = cdk.prop(api, "cache_size_gb")
    stage = [
        f"stage_name=self.node.try_get_context({py(api.id + '_stage')}) or {py(cdk.prop(api, 'stage_name'))}",
        f"tracing_enabled={bool(cdk.prop(api, 'tracing'))}",
        "metrics_enabled=True",
        f"throttling_rate_limit={cdk.prop(api, 'throttling_rate_limit')}",
        f"throttling_burst_limit={cdk.prop(api, 'throttling_burst_limit')}",
    ]
    if cache:
        stage.append(
            f"cache_cluster_enabled=True, cache_cluster_size={py(str(cache))}, caching_enabled=True, cache_ttl=Duration.minutes(5)"
        )
    if cdk.prop(api, "logging"):
        cdk.emit(
            f"{v}_access_logs = logs.LogGroup(self, {py(logical + 'AccessLogs')}, retention=logs.RetentionDays.ONE_MONTH)"
        )
        stage.append(
            f"logging_level=apigw.MethodLoggingLevel.ERROR, access_log_destination=apigw.LogGroupLogDestination({v}_access_logs), access_log_format=apigw.AccessLogFormat.json_with_standard_fields(caller=False, http_method=True, ip=True, protocol=True, request_time=True, resource_path=True, response_length=True, status=True, user=False)"
        )
    args = [
        f"rest_api_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(api.id)}])",
        f"description={py(plan.label(api))}",
        f"endpoint_types=[apigw.EndpointType.{cdk.prop(api, 'endpoint_type').upper()}]",
        f"deploy_options=apigw.StageOptions({', '.join(stage)})",
        f"cloud_watch_role={bool(cdk.prop(api, 'logging'))}",
    ]
    if cdk.prop(api, "endpoint_type") == "private":
        args.append(
            "policy=iam.PolicyDocument(statements=[iam.PolicyStatement(principals=[iam.AnyPrincipal()], actions=['execute-api:Invoke'], resources=['execute-api:/*'])])"
        )
    origins = plan.cors_origins(api)
    if origins:
        args.append(
            f"default_cors_preflight_options=apigw.CorsOptions(allow_origins=[{py(origins[0])}], allow_headers=['Content-Type', 'Authorization', 'X-Api-Key'], allow_methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], max_age=Duration.minutes(10))"
        )
    method_options = cdk_rest_method_options(cdk, api)
    if method_options:
        args.append(f"default_method_options=apigw.MethodOptions({method_options})")
    cdk.emit(f"# {logical}: REST API")
    cdk.emit(f"{v} = apigw.RestApi(self, {py(logical)}, {', '.join(args)})")
    integrations = [route for route in service_routes(plan, api) if not is_private_route(route[0])]
    role = cdk_integration_role(cdk, api, integrations) if integrations else ""
    cdk_vpc_links(cdk, api)
    for link, method, path in expanded(plan, api, plan.routes(api)):
        resource = f"{v}.root" if path == "/" else f"{v}.root.resource_for_path({py(path)})"
        if is_private_route(link):
            integration, extra = cdk_rest_private_method(cdk, link, method, path)
            cdk.emit(f"{resource}.add_method({py(method)}, {integration}{extra})")
        elif is_service_route(link):
            integration, extra = cdk_rest_service_integration(cdk, link, method, path, role)
            cdk.emit(f"{resource}.add_method({py(method)}, {integration}{extra})")
        else:
            cdk.emit(f"{resource}.add_method({py(method)}, apigw.LambdaIntegration({var(link.target)}))")
    if cdk.prop(api, "auth") == "api_key":
        cdk.emit(
            f"{v}.add_usage_plan('UsagePlan', api_stages=[apigw.UsagePlanPerApiStage(api={v}, stage={v}.deployment_stage)])"
        )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}.url)")
    cdk.emit()


def cdk_rest_method_options(cdk: CdkStack, api: Component) -> str:
    default = cdk.plan.default_authorizer(api)
    v = var(api)
    if default == "AWS_IAM":
        return "authorization_type=apigw.AuthorizationType.IAM"
    if isinstance(default, Link):
        header = py("method.request.header." + default.prop("identity_source"))
        name = f"{v}_authorizer"
        if default.target.type == "cognito_user_pool":
            cdk.emit(
                f"{name} = apigw.CognitoUserPoolsAuthorizer(self, {py(cdk.id(default.target) + 'Authorizer' + cdk.id(api))}, cognito_user_pools=[{var(default.target)}], identity_source={header})"
            )
            return f"authorizer={name}, authorization_type=apigw.AuthorizationType.COGNITO"
        cdk.emit(
            f"{name} = apigw.TokenAuthorizer(self, {py(cdk.id(default.target) + 'Authorizer' + cdk.id(api))}, handler={var(default.target)}, identity_source={header}, results_cache_ttl=Duration.seconds({default.prop('cache_ttl_s')}))"
        )
        return f"authorizer={name}, authorization_type=apigw.AuthorizationType.CUSTOM"
    if cdk.prop(api, "auth") == "api_key":
        return "api_key_required=True"
    return ""


def cdk_rest_service_integration(cdk: CdkStack, link: Link, method: str, path: str, role: str) -> tuple[str, str]:
    """The AwsIntegration of one route and method, and the add_method arguments it needs."""
    spec = rest_integration(cdk.plan, link, method, path)
    t = var(link.target)
    where = f"action={py(spec.action)}" if spec.action else f"path={cdk_text(spec.path, t)}"
    parameters = {f"integration.request.header.{name}": value for name, value in spec.headers.items()}
    parameters.update(spec.parameters)
    options = [
        f"credentials_role={role}",
        f"passthrough_behavior=apigw.PassthroughBehavior.{'NEVER' if spec.template else 'WHEN_NO_TEMPLATES'}",
        "integration_responses=[apigw.IntegrationResponse(status_code='200')]",
    ]
    if parameters:
        options.append(f"request_parameters={py(parameters)}")
    if spec.template:
        options.append(f"request_templates={{'application/json': {cdk_text(spec.template, t)}}}")
    integration = (
        f"apigw.AwsIntegration(service={py(spec.service)}, {where}, integration_http_method={py(spec.http_method)}, "
        f"options=apigw.IntegrationOptions({', '.join(options)}))"
    )
    extra = ", method_responses=[apigw.MethodResponse(status_code='200')]"
    if spec.method_parameters:
        declared = {f"method.request.{where_}.{name}": True for name, where_ in spec.method_parameters}
        extra += f", request_parameters={py(declared)}"
    return integration, extra


def cdk_api_gateway_http(cdk: CdkStack, api: Component) -> None:
    plan, v, logical = cdk.plan, var(api), cdk.id(api)
    args = [f"description={py(plan.label(api))}", "create_default_stage=True"]
    origins = plan.cors_origins(api)
    if origins:
        args.append(
            f"cors_preflight=apigwv2.CorsPreflightOptions(allow_origins={py(origins)}, allow_headers=['content-type', 'authorization'], allow_methods=[apigwv2.CorsHttpMethod.ANY], max_age=Duration.minutes(10))"
        )
    default = plan.default_authorizer(api)
    if default == "AWS_IAM":
        args.append("default_authorizer=apigwv2_authorizers.HttpIamAuthorizer()")
    elif isinstance(default, Link):
        target, header = default.target, default.prop("identity_source")
        if target.type == "cognito_user_pool":
            args.append(
                f"default_authorizer=apigwv2_authorizers.HttpJwtAuthorizer({py(cdk.id(target) + 'Authorizer')}, "
                f"cdk.Fn.join('', ['https://cognito-idp.', cdk.Aws.REGION, '.amazonaws.com/', {var(target)}.user_pool_id]), "
                f"jwt_audience=[{var(target)}_client.user_pool_client_id], identity_source=[{py('$request.header.' + header)}])"
            )
        else:
            args.append(
                f"default_authorizer=apigwv2_authorizers.HttpLambdaAuthorizer({py(cdk.id(target) + 'Authorizer')}, {var(target)}, "
                f"response_types=[apigwv2_authorizers.HttpLambdaResponseType.SIMPLE], identity_source=[{py('$request.header.' + header)}], "
                f"results_cache_ttl=Duration.seconds({default.prop('cache_ttl_s')}))"
            )
    cdk.emit(f"# {logical}: HTTP API")
    cdk.emit(f"{v} = apigwv2.HttpApi(self, {py(logical)}, {', '.join(args)})")
    stage_settings: dict[str, Any] = {
        "DefaultRouteSettings": {
            "ThrottlingRateLimit": cdk.prop(api, "throttling_rate_limit"),
            "ThrottlingBurstLimit": cdk.prop(api, "throttling_burst_limit"),
        }
    }
    cdk.emit(f"{v}_stage = {v}.default_stage.node.default_child")
    cdk.emit(f"{v}_stage.add_property_override('DefaultRouteSettings', {py(stage_settings['DefaultRouteSettings'])})")
    if cdk.prop(api, "logging"):
        cdk.emit(
            f"{v}_access_logs = logs.LogGroup(self, {py(logical + 'AccessLogs')}, retention=logs.RetentionDays.ONE_MONTH)"
        )
        log_format = '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","routeKey":"$context.routeKey","status":"$context.status","latency":"$context.responseLatency"}'
        cdk.emit(
            f"{v}_stage.add_property_override('AccessLogSettings', {{'DestinationArn': {v}_access_logs.log_group_arn, 'Format': {py(log_format)}}})"
        )
    integrations = service_routes(plan, api)
    cdk_vpc_links(cdk, api)
    # aws-cdk-lib's integration constructs make their own roles; the routes without one share this one.
    l1_routes = [route for route in integrations if not has_cdk_http_l2(plan, route[0])]
    role = cdk_integration_role(cdk, api, l1_routes) if l1_routes else ""
    for index, (link, method, path) in enumerate(plan.routes(api)):
        if is_service_route(link):
            cdk_http_service_route(cdk, api, link, method, path, index, role)
            continue
        integration_id = py(f"{logical}{cdk.id(link.target)}Integration{index + 1}")
        integration = f"apigwv2_integrations.HttpLambdaIntegration({integration_id}, {var(link.target)})"
        http_method = "ANY" if method == "ANY" else method
        cdk.emit(
            f"{v}.add_routes(path={py(path)}, methods=[apigwv2.HttpMethod.{http_method}], integration={integration})"
        )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}.api_endpoint)")
    cdk.emit()


def has_cdk_http_l2(plan: Plan, link: Link) -> bool:
    """Whether aws-cdk-lib has its own HTTP API integration construct for the route (it makes its role)."""
    kind = link.target.type
    if is_private_route(link):
        return True  # HttpAlbIntegration, through the API's VPC link (no role)
    return kind in ("sqs_queue", "eventbridge_bus") or (kind == "step_functions" and not starts_and_waits(plan, link))


def cdk_http_l2_integration(plan: Plan, link: Link, integration_id: str) -> str | None:
    """aws-cdk-lib's own integration construct for a service route, where it has one."""
    if not has_cdk_http_l2(plan, link):
        return None
    if is_private_route(link):
        return cdk_http_private_integration(plan, link, integration_id)
    t = var(link.target)
    if link.target.type == "sqs_queue":
        return f"apigwv2_integrations.HttpSqsIntegration({integration_id}, queue={t})"
    if link.target.type == "step_functions":
        return f"apigwv2_integrations.HttpStepFunctionsIntegration({integration_id}, state_machine={t})"
    return (
        f"apigwv2_integrations.HttpEventBridgeIntegration({integration_id}, event_bus_ref={t}.event_bus_ref, "
        "parameter_mapping=apigwv2.ParameterMapping().custom('Source', 'tierplan.api').custom('DetailType', 'request')"
        f".custom('Detail', '$request.body').custom('EventBusName', {t}.event_bus_name))"
    )


def cdk_http_service_route(
    cdk: CdkStack, api: Component, link: Link, method: str, path: str, index: int, role: str
) -> None:
    """A route to a service: the L2 integration where aws-cdk-lib has one, else the L1 integration and route."""
    v, t = var(api), var(link.target)
    integration_id = py(f"{cdk.id(api)}{cdk.id(link.target)}Integration{index + 1}")
    http_method = "ANY" if method == "ANY" else method
    l2 = cdk_http_l2_integration(cdk.plan, link, integration_id)
    if l2 is not None:
        cdk.emit(f"{v}.add_routes(path={py(path)}, methods=[apigwv2.HttpMethod.{http_method}], integration={l2})")
        return
    spec = http_integration(cdk.plan, link)
    parameters = ", ".join(
        f"{py(name)}: {f'{t}.{value.cdk}' if isinstance(value, Attr) else py(value)}"
        for name, value in spec.parameters.items()
    )
    name = f"{v}_integration_{index + 1}"
    cdk.emit(
        f"{name} = apigwv2.CfnIntegration(self, {integration_id}, api_id={v}.api_id, integration_type='AWS_PROXY', "
        f"integration_subtype={py(spec.subtype)}, credentials_arn={role}.role_arn, payload_format_version='1.0', "
        f"request_parameters={{{parameters}}})"
    )
    route_key = "ANY " + path if method == "ANY" else f"{method} {path}"
    cdk.emit(
        f"apigwv2.CfnRoute(self, {py(f'{cdk.id(api)}Route{index + 1}')}, api_id={v}.api_id, route_key={py(route_key)}, "
        f"target=cdk.Fn.join('/', ['integrations', {name}.ref]))"
    )


SERVICES = (
    Service("api_gateway_rest", sam=sam_api_gateway_rest, cdk=cdk_api_gateway_rest, cdk_order=50),
    Service("api_gateway_http", sam=sam_api_gateway_http, cdk=cdk_api_gateway_http, cdk_order=51),
)
