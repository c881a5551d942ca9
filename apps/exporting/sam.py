"""Design → AWS SAM template (a dict; ``bundle`` writes it as YAML). Pure Python, no Django.

Intrinsic functions are written in their long form ({"Ref": …}, {"Fn::GetAtt": …}) so the YAML needs
no custom tags, and user text only ever appears as a YAML string value (descriptions, tags, defaults).
Everything user-written is read from ``plan.design``, which the plan has already made safe for any
CloudFormation string (see ``plan.cfn_text``); nothing here escapes on its own.
"""

from __future__ import annotations

from typing import Any

from apps.designs.document import Component, Group, Link
from apps.exporting.plan import Plan, tag_value

CACHE_POLICIES = {
    "caching_optimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "caching_disabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
}
ORIGIN_REQUEST_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
COGNITO_TRIGGERS = {
    "PreSignUp",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "PreTokenGeneration",
    "CustomMessage",
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
    "UserMigration",
}
SPA_REWRITE = (
    "function handler(event) {\n"
    "  var request = event.request;\n"
    "  if (request.uri.indexOf('.') === -1) { request.uri = '/index.html'; }\n"
    "  return request;\n"
    "}\n"
)
INTEGRATION_ACTIONS = {
    "sqs_queue": ("sqs:SendMessage", "Arn"),
    "kinesis_stream": ("kinesis:PutRecord", "Arn"),
    "sns_topic": ("sns:Publish", None),
    "eventbridge_bus": ("events:PutEvents", "Arn"),
    "step_functions": ("states:StartExecution", None),
}


def ref(name: str) -> dict[str, Any]:
    return {"Ref": name}


def getatt(name: str, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"Fn::Sub": [text, variables] if variables else text}


def tags(component: Component) -> dict[str, str]:
    return {"tierplan:component": component.id}


def tag_list(component: Component) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags(component).items()]


class SamTemplate:
    """Builds the template resource by resource; ``build()`` returns the whole template dict."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.design = plan.design
        self.resources: dict[str, dict[str, Any]] = {}
        self.parameters: dict[str, dict[str, Any]] = {}
        self.conditions: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}

    # -- helpers ----------------------------------------------------------------------------------

    def id(self, component: Component) -> str:
        return self.plan.ids[component.id]

    def add(
        self,
        logical: str,
        resource_type: str,
        properties: dict[str, Any],
        component: Component | None = None,
        **extra: Any,
    ) -> None:
        resource: dict[str, Any] = {"Type": resource_type, "Properties": properties}
        if component is not None:
            account = self.plan.account_of(component)
            if account is not None:
                resource["Condition"] = self.account_condition(account)
        resource.update(extra)
        self.resources[logical] = resource

    def account_condition(self, account: Group) -> str:
        name = f"Deploy{self.plan.group_ids[account.id]}"
        if name not in self.conditions:
            self.parameters.setdefault(
                "Account",
                {
                    "Type": "String",
                    "Default": "all",
                    "AllowedValues": ["all", *[g.id for g in self.plan.accounts()]],
                    "Description": "Which account group this deployment is for (deploy once per AWS account), or all",
                },
            )
            self.conditions[name] = {
                "Fn::Or": [{"Fn::Equals": [ref("Account"), "all"]}, {"Fn::Equals": [ref("Account"), account.id]}]
            }
        return name

    def output(self, name: str, value: Any, description: str, component: Component) -> None:
        entry: dict[str, Any] = {"Description": description, "Value": value}
        account = self.plan.account_of(component)
        if account is not None:
            entry["Condition"] = self.account_condition(account)
        self.outputs[name] = entry

    def domain_parameters(self, component: Component, default: str | None) -> tuple[str, str, str]:
        """Parameters for a custom domain and its ACM certificate, and the condition that both are set."""
        logical = self.id(component)
        domain, certificate, condition = f"{logical}DomainName", f"{logical}CertificateArn", f"{logical}HasDomain"
        self.parameters[domain] = {
            "Type": "String",
            "Default": default or "",
            "Description": f"Custom domain of {self.plan.label(component)} (empty for none)",
        }
        self.parameters[certificate] = {
            "Type": "String",
            "Default": "",
            "Description": f"ACM certificate ARN for {domain} (us-east-1 for CloudFront)",
        }
        self.conditions[condition] = {
            "Fn::And": [
                {"Fn::Not": [{"Fn::Equals": [ref(domain), ""]}]},
                {"Fn::Not": [{"Fn::Equals": [ref(certificate), ""]}]},
            ]
        }
        return domain, certificate, condition

    # -- the attribute a function's environment variable carries, per target type -------------------

    def env_value(self, target: Component) -> Any:
        logical = self.id(target)
        return {
            "dynamodb_table": ref(logical),
            "s3_bucket": self.bucket_name(target),
            "sqs_queue": ref(logical),
            "kinesis_stream": ref(logical),
            "sns_topic": ref(logical),
            "eventbridge_bus": ref(logical),
            "step_functions": ref(logical),
            "lambda_function": ref(logical),
            "rds_instance": getatt(f"{logical}Proxy", "Endpoint")
            if self.plan.prop(target, "rds_proxy")
            else getatt(logical, "Endpoint.Address"),
            "elasticache_cluster": self.cache_endpoint(target),
            "opensearch_domain": getatt(logical, "DomainEndpoint"),
        }[target.type]

    @staticmethod
    def bucket_name(bucket: Component) -> Any:
        """The bucket's name, built from the stack id rather than read from the bucket.

        A function triggered by a bucket that it also reads would otherwise form a dependency cycle
        (bucket → notification → permission → function → bucket).
        """
        return bucket_name_expression(bucket.id)

    def cache_endpoint(self, cache: Component) -> Any:
        if self.plan.prop(cache, "engine") == "memcached":
            return getatt(self.id(cache), "ConfigurationEndpoint.Address")
        return getatt(self.id(cache), "PrimaryEndPoint.Address")

    def policy(self, link: Link) -> list[Any]:
        target, mode, logical = link.target, link.kind, self.id(link.target)
        suffix = {"read": "Read", "write": "Write", "read_write": "Crud"}.get(mode, "")
        if target.type == "dynamodb_table":
            return [{f"DynamoDB{suffix}Policy": {"TableName": ref(logical)}}]
        if target.type == "s3_bucket":
            return [{f"S3{suffix}Policy": {"BucketName": self.bucket_name(target)}}]
        if target.type == "sqs_queue":
            return [{"SQSSendMessagePolicy": {"QueueName": getatt(logical, "QueueName")}}]
        if target.type == "kinesis_stream":
            return [{"KinesisCrudPolicy": {"StreamName": ref(logical)}}]
        if target.type == "sns_topic":
            return [{"SNSPublishMessagePolicy": {"TopicName": getatt(logical, "TopicName")}}]
        if target.type == "eventbridge_bus":
            return [{"EventBridgePutEventsPolicy": {"EventBusName": ref(logical)}}]
        if target.type == "step_functions":
            return [{"StepFunctionsExecutionPolicy": {"StateMachineName": getatt(logical, "Name")}}]
        if target.type == "lambda_function":
            return [{"LambdaInvokePolicy": {"FunctionName": ref(logical)}}]
        if target.type == "rds_instance":
            return [
                {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": getatt(logical, "MasterUserSecret.SecretArn")}}
            ]
        if target.type == "opensearch_domain":
            return [{"ElasticsearchHttpPostPolicy": {"DomainName": ref(logical)}}]
        return []  # elasticache: reached over the network, allowed by security groups

    # -- resources by type -----------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        for vpc in self.plan.vpcs():
            self.vpc(vpc)
        for component in self.design.components:
            builder = getattr(self, component.type, None)
            if builder is not None:
                builder(component)
        template: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Transform": "AWS::Serverless-2016-10-31",
            "Description": f"{self.design.name} (generated by Tierplan from a tierplan.design/v1 document)",
            "Metadata": {
                "Tierplan": {
                    "schema": "tierplan.design/v1",
                    "design": self.design.name,
                    "content_hash": self.plan.content_hash(),
                }
            },
        }
        if self.parameters:
            template["Parameters"] = dict(sorted(self.parameters.items()))
        if self.conditions:
            template["Conditions"] = dict(sorted(self.conditions.items()))
        template["Resources"] = self.resources
        if self.outputs:
            template["Outputs"] = self.outputs
        return template

    def browser(self, component: Component) -> None:
        """Clients are not deployed."""

    mobile_app = browser

    def lambda_function(self, fn: Component) -> None:
        plan, logical = self.plan, self.id(fn)
        role = plan.prop(fn, "role")
        properties: dict[str, Any] = {
            "Description": plan.label(fn),
            "CodeUri": f"src/{fn.id}/",
            "Handler": "app.handler",
            "Runtime": plan.prop(fn, "runtime"),
            "MemorySize": plan.prop(fn, "memory_mb"),
            "Timeout": plan.prop(fn, "timeout_s"),
            "Architectures": [plan.prop(fn, "architecture")],
            "Tracing": "Active" if plan.prop(fn, "tracing") else "PassThrough",
            "Tags": tags(fn),
        }
        if role != "edge":
            properties["EphemeralStorage"] = {"Size": plan.prop(fn, "ephemeral_storage_mb")}
        if plan.prop(fn, "logging") and role != "edge":
            self.add(
                f"{logical}LogGroup",
                "AWS::Logs::LogGroup",
                {
                    "LogGroupName": sub(f"/aws/lambda/${{AWS::StackName}}/{fn.id}"),
                    "RetentionInDays": plan.prop(fn, "log_retention_days"),
                },
                fn,
            )
            properties["LoggingConfig"] = {"LogGroup": ref(f"{logical}LogGroup"), "LogFormat": "JSON"}
        variables = {plan.env_name(link.target): self.env_value(link.target) for link in plan.data_links(fn)}
        for link in plan.data_links(fn):
            if link.target.type == "rds_instance":
                variables[f"{link.target.id.upper()}_DB_SECRET_ARN"] = getatt(
                    self.id(link.target), "MasterUserSecret.SecretArn"
                )
        cors = self.cors_origin_for(fn)
        if cors:
            variables["CORS_ALLOW_ORIGIN"] = cors
        if variables:
            properties["Environment"] = {"Variables": dict(sorted(variables.items()))}
        policies = [p for link in plan.data_links(fn) for p in self.policy(link)]
        if policies:
            properties["Policies"] = policies
        vpc = plan.vpc_of(fn)
        if vpc is not None:
            vpc_logical = self.plan.group_ids[vpc.id]
            properties["VpcConfig"] = {
                "SubnetIds": [ref(f"{vpc_logical}PrivateSubnet{i + 1}") for i in range(plan.vpc_prop(vpc, "az_count"))],
                "SecurityGroupIds": [ref(f"{vpc_logical}FunctionSecurityGroup")],
            }
        dead_letter = plan.dead_letter(fn)
        if dead_letter is not None and role != "edge":
            target = (
                getatt(self.id(dead_letter), "Arn") if dead_letter.type == "sqs_queue" else ref(self.id(dead_letter))
            )
            properties["DeadLetterQueue"] = {
                "Type": "SQS" if dead_letter.type == "sqs_queue" else "SNS",
                "TargetArn": target,
            }
        if plan.needs_alias(fn):
            properties["AutoPublishAlias"] = "live"
            preference = plan.prop(fn, "deployment_preference")
            if preference != "none" and role != "edge":
                properties["DeploymentPreference"] = {"Type": preference}
        if plan.prop(fn, "reserved_concurrency") is not None and role != "edge":
            properties["ReservedConcurrentExecutions"] = plan.prop(fn, "reserved_concurrency")
        if (plan.prop(fn, "provisioned_concurrency") or 0) > 0 and role != "edge":
            properties["ProvisionedConcurrencyConfig"] = {
                "ProvisionedConcurrentExecutions": plan.prop(fn, "provisioned_concurrency")
            }
        if role == "edge":
            properties["AssumeRolePolicyDocument"] = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        events = self.function_events(fn)
        if events:
            properties["Events"] = events
        self.add(logical, "AWS::Serverless::Function", properties, fn)
        self.output(f"{logical}Name", ref(logical), f"Function name of {plan.label(fn)}", fn)

    def cors_origin_for(self, fn: Component) -> str | None:
        # A proxy integration answers the browser itself, so the function must send the CORS header.
        for link in self.plan.into(fn, "invoke"):
            origins = self.plan.cors_origins(link.source) if link.source.type.startswith("api_gateway") else []
            if origins:
                return origins[0]
        return None

    def function_events(self, fn: Component) -> dict[str, Any]:
        plan = self.plan
        events: dict[str, Any] = {}
        for link in plan.into(fn):
            source, name = link.source, f"{plan.ids[link.source.id]}{link.kind.title().replace('_', '')}"
            if link.kind == "invoke" and source.type in ("api_gateway_rest", "api_gateway_http"):
                for routed, method, path in plan.routes(source):
                    if routed is link:
                        api_type, api_key = (
                            ("Api", "RestApiId") if source.type == "api_gateway_rest" else ("HttpApi", "ApiId")
                        )
                        events[f"{name}{len(events) + 1}"] = {
                            "Type": api_type,
                            "Properties": {api_key: ref(self.id(source)), "Path": path, "Method": method.lower()},
                        }
            elif link.kind == "poll":
                events[name] = self.poll_event(link)
            elif link.kind == "trigger":
                event = self.trigger_event(link)
                if event is not None:
                    events[name] = event
        return events

    def poll_event(self, link: Link) -> dict[str, Any]:
        source, logical = link.source, self.id(link.source)
        if source.type == "sqs_queue":
            properties: dict[str, Any] = {"Queue": getatt(logical, "Arn"), "BatchSize": link.prop("batch_size")}
            if link.prop("max_batching_window_s"):
                properties["MaximumBatchingWindowInSeconds"] = link.prop("max_batching_window_s")
            return {"Type": "SQS", "Properties": properties}
        stream = getatt(logical, "Arn") if source.type == "kinesis_stream" else getatt(logical, "StreamArn")
        properties = {
            "Stream": stream,
            "StartingPosition": link.prop("starting_position"),
            "BatchSize": link.prop("batch_size"),
            "MaximumBatchingWindowInSeconds": link.prop("max_batching_window_s"),
            "ParallelizationFactor": link.prop("parallelization_factor"),
        }
        dead_letter = self.plan.dead_letter(link.target)
        if dead_letter is not None and dead_letter.type == "sqs_queue":
            properties["DestinationConfig"] = {
                "OnFailure": {"Type": "SQS", "Destination": getatt(self.id(dead_letter), "Arn")}
            }
        return {"Type": "Kinesis" if source.type == "kinesis_stream" else "DynamoDB", "Properties": properties}

    def trigger_event(self, link: Link) -> dict[str, Any] | None:
        source, logical = link.source, self.id(link.source)
        if source.type == "s3_bucket":
            rules = [{"Name": name, "Value": link.prop(name)} for name in ("prefix", "suffix") if link.prop(name)]
            properties: dict[str, Any] = {"Bucket": ref(logical), "Events": link.prop("events")}
            if rules:
                properties["Filter"] = {"S3Key": {"Rules": rules}}
            return {"Type": "S3", "Properties": properties}
        if source.type == "sns_topic":
            return {"Type": "SNS", "Properties": {"Topic": ref(logical)}}
        if source.type == "eventbridge_bus":
            schedule = self.plan.prop(source, "schedule_expression")
            if schedule:
                return {"Type": "Schedule", "Properties": {"Schedule": schedule, "Enabled": True}}
            return {
                "Type": "EventBridgeRule",
                "Properties": {"EventBusName": ref(logical), "Pattern": self.plan.event_pattern(source)},
            }
        if source.type == "cognito_user_pool":
            return {"Type": "Cognito", "Properties": {"UserPool": ref(logical), "Trigger": self.cognito_trigger(link)}}
        return None

    @staticmethod
    def cognito_trigger(link: Link) -> str:
        wanted = link.connection.props.get("events")
        return wanted if wanted in COGNITO_TRIGGERS else "PostConfirmation"

    def api_gateway_rest(self, api: Component) -> None:
        plan, logical = self.plan, self.id(api)
        stage = f"{logical}StageName"  # SAM itself names the stage resource <Api>Stage
        self.parameters[stage] = {
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
            self.api_gateway_account()
            self.add(f"{logical}AccessLogs", "AWS::Logs::LogGroup", {"RetentionInDays": 30}, api)
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
        auth = self.rest_auth(api)
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
        integrations = [(link, method, path) for link, method, path in plan.routes(api) if link.kind == "integrate"]
        if integrations:
            properties["DefinitionBody"] = self.rest_definition(api, integrations)
        self.add(logical, "AWS::Serverless::Api", properties, api)
        self.output(
            f"{logical}Url",
            sub(f"https://${{{logical}}}.execute-api.${{AWS::Region}}.amazonaws.com/${{{stage}}}"),
            f"Endpoint of {plan.label(api)}",
            api,
        )

    def api_gateway_account(self) -> None:
        # Execution and access logging need the account-wide CloudWatch role of API Gateway.
        if "ApiGatewayAccount" in self.resources:
            return
        self.add(
            "ApiGatewayCloudWatchRole",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "apigateway.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "ManagedPolicyArns": [
                    sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")
                ],
            },
        )
        self.add(
            "ApiGatewayAccount",
            "AWS::ApiGateway::Account",
            {"CloudWatchRoleArn": getatt("ApiGatewayCloudWatchRole", "Arn")},
        )

    def rest_auth(self, api: Component) -> dict[str, Any]:
        plan = self.plan
        auth: dict[str, Any] = {}
        authorizers: dict[str, Any] = {}
        for link in plan.authorizers(api):
            name = f"{self.id(link.target)}Authorizer"
            header = link.prop("identity_source")
            if link.target.type == "cognito_user_pool":
                authorizers[name] = {"UserPoolArn": getatt(self.id(link.target), "Arn"), "Identity": {"Header": header}}
            else:
                authorizers[name] = {
                    "FunctionArn": getatt(self.id(link.target), "Arn"),
                    "Identity": {"Header": header, "ReauthorizeEvery": link.prop("cache_ttl_s")},
                }
        if authorizers:
            auth["Authorizers"] = authorizers
        default = plan.default_authorizer(api)
        if default == "AWS_IAM":
            auth["DefaultAuthorizer"] = "AWS_IAM"
        elif isinstance(default, Link):
            auth["DefaultAuthorizer"] = f"{self.id(default.target)}Authorizer"
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

    def integration_role(self, api: Component, links: list[Link]) -> str:
        name = f"{self.id(api)}IntegrationRole"
        statements = []
        for link in links:
            action, attribute = INTEGRATION_ACTIONS[link.target.type]
            resource = getatt(self.id(link.target), attribute) if attribute else ref(self.id(link.target))
            statements.append({"Effect": "Allow", "Action": action, "Resource": resource})
        self.add(
            name,
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "apigateway.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
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

    def rest_definition(self, api: Component, integrations: list[tuple[Link, str, str]]) -> dict[str, Any]:
        role = self.integration_role(api, [link for link, _, _ in integrations])
        paths: dict[str, Any] = {}
        for link, method, path in integrations:
            target = self.id(link.target)
            kind = link.target.type
            if kind == "sqs_queue":
                uri = sub(
                    f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:sqs:path/${{AWS::AccountId}}/${{{target}.QueueName}}"
                )
                headers = {"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"}
                template: Any = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"
            elif kind == "kinesis_stream":
                uri = sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:kinesis:action/PutRecord")
                headers = {}
                template = sub(
                    f'{{"StreamName": "${{{target}}}", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$context.requestId"}}'
                )
            elif kind == "sns_topic":
                uri = sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:sns:action/Publish")
                headers = {"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"}
                template = sub(
                    f"Action=Publish&TopicArn=$util.urlEncode('${{{target}}}')&Message=$util.urlEncode($input.body)"
                )
            elif kind == "eventbridge_bus":
                uri = sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:events:action/PutEvents")
                headers = {
                    "integration.request.header.X-Amz-Target": "'AWSEvents.PutEvents'",
                    "integration.request.header.Content-Type": "'application/x-amz-json-1.1'",
                }
                template = sub(
                    f'{{"Entries": [{{"Source": "tierplan.api", "DetailType": "request", "Detail": "$util.escapeJavaScript($input.body)", "EventBusName": "${{{target}}}"}}]}}'
                )
            else:  # step_functions
                uri = sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution")
                headers = {}
                template = sub(
                    f'{{"input": "$util.escapeJavaScript($input.body)", "stateMachineArn": "${{{target}}}"}}'
                )
            operation: dict[str, Any] = {
                "x-amazon-apigateway-integration": {
                    "type": "aws",
                    "httpMethod": "POST",
                    "uri": uri,
                    "credentials": getatt(role, "Arn"),
                    "requestParameters": headers,
                    "requestTemplates": {"application/json": template},
                    "passthroughBehavior": "never",
                    "responses": {"default": {"statusCode": "200"}},
                },
                "responses": {"200": {"description": "Accepted"}},
            }
            methods = (
                ["get", "post", "put", "patch", "delete", "head", "options"] if method == "ANY" else [method.lower()]
            )
            for verb in methods:
                paths.setdefault(path, {})[verb] = operation
        return {"openapi": "3.0.1", "info": {"title": self.plan.label(api), "version": "1.0"}, "paths": paths}

    def api_gateway_http(self, api: Component) -> None:
        plan, logical = self.plan, self.id(api)
        stage = f"{logical}StageName"
        self.parameters[stage] = {
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
            self.add(f"{logical}AccessLogs", "AWS::Logs::LogGroup", {"RetentionInDays": 30}, api)
            properties["AccessLogSettings"] = {
                "DestinationArn": getatt(f"{logical}AccessLogs", "Arn"),
                "Format": '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","routeKey":"$context.routeKey","status":"$context.status","latency":"$context.responseLatency"}',
            }
        auth: dict[str, Any] = {}
        authorizers: dict[str, Any] = {}
        for link in plan.authorizers(api):
            name = f"{self.id(link.target)}Authorizer"
            header = link.prop("identity_source")
            if link.target.type == "cognito_user_pool":
                pool = self.id(link.target)
                authorizers[name] = {
                    "JwtConfiguration": {
                        "issuer": sub(f"https://cognito-idp.${{AWS::Region}}.amazonaws.com/${{{pool}}}"),
                        "audience": [ref(f"{pool}Client")],
                    },
                    "IdentitySource": f"$request.header.{header}",
                }
            else:
                authorizers[name] = {
                    "FunctionArn": getatt(self.id(link.target), "Arn"),
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
            auth["DefaultAuthorizer"] = f"{self.id(default.target)}Authorizer"
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
        integrations = [(link, method, path) for link, method, path in plan.routes(api) if link.kind == "integrate"]
        if integrations:
            properties["DefinitionBody"] = self.http_definition(api, integrations)
        self.add(logical, "AWS::Serverless::HttpApi", properties, api)
        self.output(
            f"{logical}Url",
            sub(f"https://${{{logical}}}.execute-api.${{AWS::Region}}.amazonaws.com/"),
            f"Endpoint of {plan.label(api)}",
            api,
        )

    def http_definition(self, api: Component, integrations: list[tuple[Link, str, str]]) -> dict[str, Any]:
        role = self.integration_role(api, [link for link, _, _ in integrations])
        paths: dict[str, Any] = {}
        for link, method, path in integrations:
            target = self.id(link.target)
            subtype, parameters = {
                "sqs_queue": ("SQS-SendMessage", {"QueueUrl": ref(target), "MessageBody": "$request.body"}),
                "eventbridge_bus": (
                    "EventBridge-PutEvents",
                    {
                        "EventBusName": ref(target),
                        "Source": "tierplan.api",
                        "DetailType": "request",
                        "Detail": "$request.body",
                    },
                ),
                "step_functions": (
                    "StepFunctions-StartExecution",
                    {"StateMachineArn": ref(target), "Input": "$request.body"},
                ),
            }[link.target.type]
            verb = "x-amazon-apigateway-any-method" if method == "ANY" else method.lower()
            paths.setdefault(path, {})[verb] = {
                "x-amazon-apigateway-integration": {
                    "type": "aws_proxy",
                    "integrationSubtype": subtype,
                    "credentials": getatt(role, "Arn"),
                    "requestParameters": parameters,
                    "payloadFormatVersion": "1.0",
                    "connectionType": "INTERNET",
                },
                "responses": {"default": {"description": "Accepted"}},
            }
        return {"openapi": "3.0.1", "info": {"title": self.plan.label(api), "version": "1.0"}, "paths": paths}

    def cognito_user_pool(self, pool: Component) -> None:
        plan, logical = self.plan, self.id(pool)
        mfa = plan.prop(pool, "mfa")
        properties: dict[str, Any] = {
            "UserPoolName": sub(f"${{AWS::StackName}}-{pool.id}"),
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": {"off": "OFF", "optional": "OPTIONAL", "on": "ON"}[mfa],
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": plan.prop(pool, "password_min_length"),
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                    "RequireUppercase": True,
                }
            },
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
            "UserPoolTags": tags(pool),
        }
        if mfa != "off":
            properties["EnabledMfas"] = ["SOFTWARE_TOKEN_MFA"]
        self.add(logical, "AWS::Cognito::UserPool", properties, pool)
        self.add(
            f"{logical}Client",
            "AWS::Cognito::UserPoolClient",
            {
                "UserPoolId": ref(logical),
                "GenerateSecret": False,
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "PreventUserExistenceErrors": "ENABLED",
            },
            pool,
        )
        self.output(f"{logical}Id", ref(logical), f"User pool id of {plan.label(pool)}", pool)
        self.output(f"{logical}ClientId", ref(f"{logical}Client"), f"App client id of {plan.label(pool)}", pool)
        if plan.prop(pool, "identity_pool"):
            identity = f"{logical}IdentityPool"
            self.add(
                identity,
                "AWS::Cognito::IdentityPool",
                {
                    "AllowUnauthenticatedIdentities": False,
                    "CognitoIdentityProviders": [
                        {"ClientId": ref(f"{logical}Client"), "ProviderName": getatt(logical, "ProviderName")}
                    ],
                },
                pool,
            )
            self.add(
                f"{logical}AuthenticatedRole",
                "AWS::IAM::Role",
                {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                                "Action": "sts:AssumeRoleWithWebIdentity",
                                "Condition": {
                                    "StringEquals": {"cognito-identity.amazonaws.com:aud": ref(identity)},
                                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                                },
                            }
                        ],
                    }
                },
                pool,
            )
            self.add(
                f"{logical}IdentityRoles",
                "AWS::Cognito::IdentityPoolRoleAttachment",
                {
                    "IdentityPoolId": ref(identity),
                    "Roles": {"authenticated": getatt(f"{logical}AuthenticatedRole", "Arn")},
                },
                pool,
            )

    def dynamodb_table(self, table: Component) -> None:
        plan, logical = self.plan, self.id(table)
        keys = [("pk", plan.prop(table, "partition_key"), "HASH")]
        if plan.prop(table, "sort_key"):
            keys.append(("sk", plan.prop(table, "sort_key"), "RANGE"))
        properties: dict[str, Any] = {
            "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for _, name, _ in keys],
            "KeySchema": [{"AttributeName": name, "KeyType": key_type} for _, name, key_type in keys],
            "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": bool(plan.prop(table, "point_in_time_recovery"))
            },
            "SSESpecification": {"SSEEnabled": True},
            "Tags": tag_list(table),
        }
        if plan.prop(table, "capacity_mode") == "on_demand":
            properties["BillingMode"] = "PAY_PER_REQUEST"
        else:
            properties["BillingMode"] = "PROVISIONED"
            properties["ProvisionedThroughput"] = {
                "ReadCapacityUnits": plan.prop(table, "rcu"),
                "WriteCapacityUnits": plan.prop(table, "wcu"),
            }
        if plan.stream_enabled(table):
            properties["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        self.add(
            logical, "AWS::DynamoDB::Table", properties, table, DeletionPolicy="Retain", UpdateReplacePolicy="Retain"
        )
        self.output(f"{logical}Name", ref(logical), f"Table name of {plan.label(table)}", table)

    def s3_bucket(self, bucket: Component) -> None:
        plan, logical = self.plan, self.id(bucket)
        public = bool(plan.prop(bucket, "public_access"))
        encryption = (
            {"SSEAlgorithm": "aws:kms"} if plan.prop(bucket, "encryption") == "SSE-KMS" else {"SSEAlgorithm": "AES256"}
        )
        properties: dict[str, Any] = {
            "BucketName": self.bucket_name(bucket),
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": encryption}]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": not public,
                "RestrictPublicBuckets": not public,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "Tags": tag_list(bucket),
        }
        if plan.prop(bucket, "versioning"):
            properties["VersioningConfiguration"] = {"Status": "Enabled"}
        if plan.prop(bucket, "website"):
            properties["WebsiteConfiguration"] = {"IndexDocument": "index.html", "ErrorDocument": "index.html"}
        origins = [o.strip() for o in (plan.prop(bucket, "cors_origins") or "").split(",") if o.strip()]
        if origins:
            properties["CorsConfiguration"] = {
                "CorsRules": [
                    {
                        "AllowedOrigins": origins,
                        "AllowedMethods": ["GET", "HEAD"],
                        "AllowedHeaders": ["*"],
                        "MaxAge": 600,
                    }
                ]
            }
        self.add(logical, "AWS::S3::Bucket", properties, bucket, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
        statements: list[dict[str, Any]] = []
        if public:
            statements.append(
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": sub(f"${{{logical}.Arn}}/*"),
                }
            )
        for link in plan.into(bucket, "origin"):
            statements.append(
                {
                    "Sid": f"CloudFront{self.id(link.source)}",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": sub(f"${{{logical}.Arn}}/*"),
                    "Condition": {
                        "StringEquals": {
                            "AWS:SourceArn": sub(
                                f"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{self.id(link.source)}}}"
                            )
                        }
                    },
                }
            )
        statements.append(
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [getatt(logical, "Arn"), sub(f"${{{logical}.Arn}}/*")],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        )
        self.add(
            f"{logical}Policy",
            "AWS::S3::BucketPolicy",
            {"Bucket": ref(logical), "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}},
            bucket,
        )
        self.output(f"{logical}Name", ref(logical), f"Bucket name of {plan.label(bucket)}", bucket)

    def cloudfront(self, distribution: Component) -> None:
        plan, logical = self.plan, self.id(distribution)
        origins, behaviors = [], []
        default_behavior: dict[str, Any] | None = None
        edge = [
            {"EventType": link.prop("event_type"), "LambdaFunctionARN": ref(f"{self.id(link.target)}.Version")}
            for link in plan.out(distribution, "edge")
        ]
        for link in plan.origins(distribution):
            target, origin_id = link.target, self.id(link.target)
            if target.type == "s3_bucket":
                control = f"{logical}{origin_id}Access"
                self.add(
                    control,
                    "AWS::CloudFront::OriginAccessControl",
                    {
                        "OriginAccessControlConfig": {
                            "Name": sub(f"${{AWS::StackName}}-{distribution.id}-{target.id}"),
                            "OriginAccessControlOriginType": "s3",
                            "SigningBehavior": "always",
                            "SigningProtocol": "sigv4",
                        }
                    },
                    distribution,
                )
                origins.append(
                    {
                        "Id": origin_id,
                        "DomainName": getatt(origin_id, "RegionalDomainName"),
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                        "OriginAccessControlId": getatt(control, "Id"),
                    }
                )
                methods = ["GET", "HEAD", "OPTIONS"]
            else:
                origin: dict[str, Any] = {
                    "Id": origin_id,
                    "DomainName": sub(f"${{{origin_id}}}.execute-api.${{AWS::Region}}.amazonaws.com"),
                    "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
                }
                if target.type == "api_gateway_rest":
                    origin["OriginPath"] = sub(f"/${{{origin_id}StageName}}")
                origins.append(origin)
                methods = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
            behavior: dict[str, Any] = {
                "TargetOriginId": origin_id,
                "ViewerProtocolPolicy": "redirect-to-https",
                "AllowedMethods": methods,
                "CachedMethods": ["GET", "HEAD"],
                "Compress": True,
                "CachePolicyId": CACHE_POLICIES[link.prop("cache_policy")],
            }
            if target.type != "s3_bucket":
                behavior["OriginRequestPolicyId"] = ORIGIN_REQUEST_ALL_VIEWER_EXCEPT_HOST
            if edge:
                behavior["LambdaFunctionAssociations"] = edge
            if link.prop("path_pattern") == "*":
                default_behavior = behavior
            else:
                behaviors.append({"PathPattern": link.prop("path_pattern"), **behavior})
        if default_behavior is None:
            default_behavior = {key: value for key, value in behaviors[0].items() if key != "PathPattern"}
        if plan.prop(distribution, "spa_fallback"):
            # A viewer-request function sends app routes (paths without a file extension) to index.html;
            # unlike error-page rewriting it leaves the API's own 403 and 404 answers alone.
            self.add(
                f"{logical}SpaRewrite",
                "AWS::CloudFront::Function",
                {
                    "Name": sub(f"${{AWS::StackName}}-{distribution.id}-spa"),
                    "AutoPublish": True,
                    "FunctionConfig": {"Comment": "Route app paths to index.html", "Runtime": "cloudfront-js-2.0"},
                    "FunctionCode": SPA_REWRITE,
                },
                distribution,
            )
            default_behavior["FunctionAssociations"] = [
                {"EventType": "viewer-request", "FunctionARN": getatt(f"{logical}SpaRewrite", "FunctionARN")}
            ]
        domain, certificate, has_domain = self.domain_parameters(distribution, plan.prop(distribution, "domain_name"))
        config: dict[str, Any] = {
            "Enabled": True,
            "Comment": plan.label(distribution)[:128],
            "HttpVersion": "http2and3",
            "IPV6Enabled": True,
            "PriceClass": plan.prop(distribution, "price_class"),
            "Origins": origins,
            "DefaultCacheBehavior": default_behavior,
            "Aliases": {"Fn::If": [has_domain, [ref(domain)], ref("AWS::NoValue")]},
            "ViewerCertificate": {
                "Fn::If": [
                    has_domain,
                    {
                        "AcmCertificateArn": ref(certificate),
                        "SslSupportMethod": "sni-only",
                        "MinimumProtocolVersion": "TLSv1.2_2021",
                    },
                    {"CloudFrontDefaultCertificate": True},
                ]
            },
        }
        if any(link.target.type == "s3_bucket" for link in plan.origins(distribution)):
            config["DefaultRootObject"] = plan.prop(distribution, "default_root_object")
        if behaviors:
            config["CacheBehaviors"] = behaviors
        self.add(
            logical,
            "AWS::CloudFront::Distribution",
            {"DistributionConfig": config, "Tags": tag_list(distribution)},
            distribution,
        )
        self.output(
            f"{logical}DomainName",
            getatt(logical, "DomainName"),
            f"CloudFront domain of {plan.label(distribution)}",
            distribution,
        )

    def sqs_queue(self, queue: Component) -> None:
        plan, logical = self.plan, self.id(queue)
        properties: dict[str, Any] = {
            "VisibilityTimeout": plan.prop(queue, "visibility_timeout_s"),
            "MessageRetentionPeriod": plan.prop(queue, "message_retention_s"),
            "SqsManagedSseEnabled": True,
            "Tags": tag_list(queue),
        }
        if plan.prop(queue, "fifo"):
            properties["FifoQueue"] = True
        dead_letter = plan.dead_letter(queue)
        if dead_letter is not None:
            properties["RedrivePolicy"] = {
                "deadLetterTargetArn": getatt(self.id(dead_letter), "Arn"),
                "maxReceiveCount": plan.prop(queue, "max_receive_count"),
            }
        self.add(logical, "AWS::SQS::Queue", properties, queue)
        senders = [link for link in plan.into(queue, "trigger") if link.source.type in ("sns_topic", "eventbridge_bus")]
        if senders:
            statements = []
            for link in senders:
                service = "sns.amazonaws.com" if link.source.type == "sns_topic" else "events.amazonaws.com"
                source_arn = (
                    ref(self.id(link.source))
                    if link.source.type == "sns_topic"
                    else getatt(f"{self.id(link.source)}To{logical}", "Arn")
                )
                statements.append(
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": service},
                        "Action": "sqs:SendMessage",
                        "Resource": getatt(logical, "Arn"),
                        "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}},
                    }
                )
            self.add(
                f"{logical}Policy",
                "AWS::SQS::QueuePolicy",
                {"Queues": [ref(logical)], "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}},
                queue,
            )
        self.output(f"{logical}Url", ref(logical), f"Queue URL of {plan.label(queue)}", queue)

    def kinesis_stream(self, stream: Component) -> None:
        plan, logical = self.plan, self.id(stream)
        mode = plan.prop(stream, "mode")
        properties: dict[str, Any] = {
            "RetentionPeriodHours": plan.prop(stream, "retention_hours"),
            "StreamModeDetails": {"StreamMode": "ON_DEMAND" if mode == "on_demand" else "PROVISIONED"},
            "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
            "Tags": tag_list(stream),
        }
        if mode != "on_demand":
            properties["ShardCount"] = plan.prop(stream, "shards")
        self.add(logical, "AWS::Kinesis::Stream", properties, stream)
        self.output(f"{logical}Name", ref(logical), f"Stream name of {plan.label(stream)}", stream)

    def sns_topic(self, topic: Component) -> None:
        plan, logical = self.plan, self.id(topic)
        properties: dict[str, Any] = {"KmsMasterKeyId": "alias/aws/sns", "Tags": tag_list(topic)}
        if plan.prop(topic, "fifo"):
            properties.update({"FifoTopic": True, "TopicName": sub(f"${{AWS::StackName}}-{topic.id}.fifo")})
        self.add(logical, "AWS::SNS::Topic", properties, topic)
        for link in plan.out(topic, "trigger"):
            if link.target.type == "sqs_queue":
                self.add(
                    f"{logical}To{self.id(link.target)}",
                    "AWS::SNS::Subscription",
                    {
                        "TopicArn": ref(logical),
                        "Protocol": "sqs",
                        "Endpoint": getatt(self.id(link.target), "Arn"),
                        "RawMessageDelivery": True,
                    },
                    topic,
                )
        self.output(f"{logical}Arn", ref(logical), f"Topic ARN of {plan.label(topic)}", topic)

    def eventbridge_bus(self, bus: Component) -> None:
        plan, logical = self.plan, self.id(bus)
        schedule = plan.prop(bus, "schedule_expression")
        if not schedule:
            self.add(
                logical,
                "AWS::Events::EventBus",
                {"Name": sub(f"${{AWS::StackName}}-{bus.id}"), "Tags": tag_list(bus)},
                bus,
            )
            self.output(f"{logical}Name", ref(logical), f"Event bus of {plan.label(bus)}", bus)
        for link in plan.out(bus, "trigger"):
            if link.target.type == "sqs_queue":
                rule: dict[str, Any] = {
                    "Description": f"{plan.label(bus)} to {plan.label(link.target)}",
                    "State": "ENABLED",
                    "Targets": [{"Id": "queue", "Arn": getatt(self.id(link.target), "Arn")}],
                }
                if schedule:
                    rule["ScheduleExpression"] = schedule
                else:
                    rule.update({"EventBusName": ref(logical), "EventPattern": plan.event_pattern(bus)})
                self.add(f"{logical}To{self.id(link.target)}", "AWS::Events::Rule", rule, bus)

    def step_functions(self, machine: Component) -> None:
        plan, logical = self.plan, self.id(machine)
        invoked = [link.target for link in plan.out(machine, "invoke")]
        states: dict[str, Any] = {}
        for index, fn in enumerate(invoked):
            name = f"Invoke{self.id(fn)}"
            following = f"Invoke{self.id(invoked[index + 1])}" if index + 1 < len(invoked) else None
            state: dict[str, Any] = {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": f"${{{self.id(fn)}Arn}}", "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "Retry": [
                    {
                        "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                        "IntervalSeconds": 2,
                        "MaxAttempts": 3,
                        "BackoffRate": 2,
                    }
                ],
            }
            state.update({"Next": following} if following else {"End": True})
            states[name] = state
        if not states:
            states["Done"] = {"Type": "Pass", "End": True}
        properties: dict[str, Any] = {
            "Type": plan.prop(machine, "workflow_type").upper(),
            "Definition": {"Comment": plan.label(machine), "StartAt": next(iter(states)), "States": states},
            "Tracing": {"Enabled": bool(plan.prop(machine, "tracing"))},
            "Tags": tags(machine),
        }
        if invoked:
            properties["DefinitionSubstitutions"] = {f"{self.id(fn)}Arn": getatt(self.id(fn), "Arn") for fn in invoked}
            properties["Policies"] = [{"LambdaInvokePolicy": {"FunctionName": ref(self.id(fn))}} for fn in invoked]
        if plan.prop(machine, "workflow_type") == "express":
            self.add(f"{logical}Logs", "AWS::Logs::LogGroup", {"RetentionInDays": 30}, machine)
            properties["Logging"] = {
                "Level": "ERROR",
                "IncludeExecutionData": False,
                "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": getatt(f"{logical}Logs", "Arn")}}],
            }
            log_delivery = [
                "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
            ]  # fmt: skip
            properties.setdefault("Policies", []).append(
                {"Statement": [{"Effect": "Allow", "Action": log_delivery, "Resource": "*"}]}
            )
        events = {}
        for link in plan.into(machine, "trigger"):
            if link.source.type == "eventbridge_bus":
                schedule = plan.prop(link.source, "schedule_expression")
                if schedule:
                    events[f"{self.id(link.source)}Trigger"] = {
                        "Type": "Schedule",
                        "Properties": {"Schedule": schedule},
                    }
                else:
                    events[f"{self.id(link.source)}Trigger"] = {
                        "Type": "EventBridgeRule",
                        "Properties": {
                            "EventBusName": ref(self.id(link.source)),
                            "Pattern": plan.event_pattern(link.source),
                        },
                    }
        if events:
            properties["Events"] = events
        self.add(logical, "AWS::Serverless::StateMachine", properties, machine)
        self.output(f"{logical}Arn", ref(logical), f"State machine ARN of {plan.label(machine)}", machine)

    # -- the private network and what lives in it --------------------------------------------------

    def vpc(self, vpc: Group) -> None:
        plan, logical = self.plan, self.plan.group_ids[vpc.id]
        az_count, nat = plan.vpc_prop(vpc, "az_count"), plan.vpc_prop(vpc, "nat_gateways")
        count, bits = plan.subnet_layout(vpc)
        condition = {}
        account = plan.account_of_group(vpc)
        if account is not None:
            condition["Condition"] = self.account_condition(account)
        name_tag = [{"Key": "Name", "Value": tag_value(vpc.label) or vpc.id}]

        def add(name: str, kind: str, properties: dict[str, Any]) -> None:
            self.resources[name] = {"Type": kind, "Properties": properties, **condition}

        add(
            logical,
            "AWS::EC2::VPC",
            {
                "CidrBlock": plan.vpc_prop(vpc, "cidr"),
                "EnableDnsSupport": True,
                "EnableDnsHostnames": True,
                "Tags": name_tag,
            },
        )
        cidrs = {"Fn::Cidr": [getatt(logical, "CidrBlock"), count, bits]}
        private_tables = []
        for index in range(az_count):
            subnet = f"{logical}PrivateSubnet{index + 1}"
            table = f"{logical}PrivateRouteTable{index + 1}"
            add(
                subnet,
                "AWS::EC2::Subnet",
                {
                    "VpcId": ref(logical),
                    "CidrBlock": {"Fn::Select": [index, cidrs]},
                    "AvailabilityZone": {"Fn::Select": [index, {"Fn::GetAZs": ""}]},
                    "Tags": name_tag,
                },
            )
            add(table, "AWS::EC2::RouteTable", {"VpcId": ref(logical), "Tags": name_tag})
            add(
                f"{subnet}Routes",
                "AWS::EC2::SubnetRouteTableAssociation",
                {"SubnetId": ref(subnet), "RouteTableId": ref(table)},
            )
            private_tables.append(table)
        if nat:
            add(f"{logical}InternetGateway", "AWS::EC2::InternetGateway", {"Tags": name_tag})
            add(
                f"{logical}GatewayAttachment",
                "AWS::EC2::VPCGatewayAttachment",
                {"VpcId": ref(logical), "InternetGatewayId": ref(f"{logical}InternetGateway")},
            )
            add(f"{logical}PublicRouteTable", "AWS::EC2::RouteTable", {"VpcId": ref(logical), "Tags": name_tag})
            self.resources[f"{logical}PublicRoute"] = {
                "Type": "AWS::EC2::Route",
                "DependsOn": f"{logical}GatewayAttachment",
                "Properties": {
                    "RouteTableId": ref(f"{logical}PublicRouteTable"),
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": ref(f"{logical}InternetGateway"),
                },
                **condition,
            }
            for index in range(az_count):
                subnet = f"{logical}PublicSubnet{index + 1}"
                add(
                    subnet,
                    "AWS::EC2::Subnet",
                    {
                        "VpcId": ref(logical),
                        "CidrBlock": {"Fn::Select": [az_count + index, cidrs]},
                        "AvailabilityZone": {"Fn::Select": [index, {"Fn::GetAZs": ""}]},
                        "Tags": name_tag,
                    },
                )
                add(
                    f"{subnet}Routes",
                    "AWS::EC2::SubnetRouteTableAssociation",
                    {"SubnetId": ref(subnet), "RouteTableId": ref(f"{logical}PublicRouteTable")},
                )
            for index in range(min(nat, az_count)):
                add(f"{logical}NatAddress{index + 1}", "AWS::EC2::EIP", {"Domain": "vpc", "Tags": name_tag})
                add(
                    f"{logical}Nat{index + 1}",
                    "AWS::EC2::NatGateway",
                    {
                        "AllocationId": getatt(f"{logical}NatAddress{index + 1}", "AllocationId"),
                        "SubnetId": ref(f"{logical}PublicSubnet{index + 1}"),
                        "Tags": name_tag,
                    },
                )
            for index, table in enumerate(private_tables):
                add(
                    f"{table}Nat",
                    "AWS::EC2::Route",
                    {
                        "RouteTableId": ref(table),
                        "DestinationCidrBlock": "0.0.0.0/0",
                        "NatGatewayId": ref(f"{logical}Nat{index % min(nat, az_count) + 1}"),
                    },
                )
        functions = [c for c in plan.members(vpc) if c.type == "lambda_function"]
        if functions:
            add(
                f"{logical}FunctionSecurityGroup",
                "AWS::EC2::SecurityGroup",
                {
                    "GroupDescription": "Functions in this VPC",
                    "VpcId": ref(logical),
                    "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
                },
            )
        for service, endpoint_type in plan.vpc_endpoints(vpc):
            properties: dict[str, Any] = {
                "VpcId": ref(logical),
                "ServiceName": sub(f"com.amazonaws.${{AWS::Region}}.{service}"),
                "VpcEndpointType": endpoint_type,
            }
            if endpoint_type == "Gateway":
                properties["RouteTableIds"] = [ref(table) for table in private_tables]
            else:
                properties.update(
                    {
                        "PrivateDnsEnabled": True,
                        "SubnetIds": [ref(f"{logical}PrivateSubnet{i + 1}") for i in range(az_count)],
                        "SecurityGroupIds": [ref(f"{logical}EndpointSecurityGroup")],
                    }
                )
            add(f"{logical}{logical_service(service)}Endpoint", "AWS::EC2::VPCEndpoint", properties)
        if any(kind == "Interface" for _, kind in plan.vpc_endpoints(vpc)):
            add(
                f"{logical}EndpointSecurityGroup",
                "AWS::EC2::SecurityGroup",
                {
                    "GroupDescription": "Interface endpoints, reached over HTTPS from the functions",
                    "VpcId": ref(logical),
                    "SecurityGroupIngress": [
                        {
                            "IpProtocol": "tcp",
                            "FromPort": 443,
                            "ToPort": 443,
                            "SourceSecurityGroupId": ref(f"{logical}FunctionSecurityGroup"),
                        }
                    ],
                },
            )

    def store_network(self, store: Component) -> tuple[str, list[Any]]:
        """A security group admitting the VPC's functions on the store's port; returns it and the subnets."""
        plan, logical = self.plan, self.id(store)
        vpc = plan.vpc_of(store)
        assert vpc is not None
        vpc_logical = plan.group_ids[vpc.id]
        ingress = []
        if any(c.type == "lambda_function" for c in plan.members(vpc)):
            ingress.append(
                {
                    "IpProtocol": "tcp",
                    "FromPort": plan.port(store),
                    "ToPort": plan.port(store),
                    "SourceSecurityGroupId": ref(f"{vpc_logical}FunctionSecurityGroup"),
                }
            )
        self.add(
            f"{logical}SecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": f"{store.type} {store.id}",
                "VpcId": ref(vpc_logical),
                "SecurityGroupIngress": ingress,
            },
            store,
        )
        subnets = [ref(f"{vpc_logical}PrivateSubnet{i + 1}") for i in range(plan.vpc_prop(vpc, "az_count"))]
        return f"{logical}SecurityGroup", subnets

    def rds_instance(self, db: Component) -> None:
        plan, logical = self.plan, self.id(db)
        group, subnets = self.store_network(db)
        self.parameters.setdefault(
            "DbMasterUsername",
            {
                "Type": "String",
                "Default": "tierplan",
                "AllowedPattern": "^[A-Za-z][A-Za-z0-9_]{0,15}$",
                "Description": "Master user of the databases (its password is kept in Secrets Manager)",
            },
        )
        self.add(
            f"{logical}Subnets",
            "AWS::RDS::DBSubnetGroup",
            {"DBSubnetGroupDescription": f"Private subnets of {db.id}", "SubnetIds": subnets},
            db,
        )
        properties = {
            "Engine": plan.prop(db, "engine"),
            "DBInstanceClass": plan.prop(db, "instance_class"),
            "AllocatedStorage": str(plan.prop(db, "storage_gb")),
            "StorageType": "gp3",
            "StorageEncrypted": True,
            "MultiAZ": bool(plan.prop(db, "multi_az")),
            "MasterUsername": ref("DbMasterUsername"),
            "ManageMasterUserPassword": True,
            "DBSubnetGroupName": ref(f"{logical}Subnets"),
            "VPCSecurityGroups": [getatt(group, "GroupId")],
            "PubliclyAccessible": False,
            "BackupRetentionPeriod": 7,
            "CopyTagsToSnapshot": True,
            "Tags": tag_list(db),
        }
        self.add(
            logical, "AWS::RDS::DBInstance", properties, db, DeletionPolicy="Snapshot", UpdateReplacePolicy="Snapshot"
        )
        if plan.prop(db, "rds_proxy"):
            self.add(
                f"{logical}ProxyRole",
                "AWS::IAM::Role",
                {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "rds.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "Policies": [
                        {
                            "PolicyName": "read-db-secret",
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": "secretsmanager:GetSecretValue",
                                        "Resource": getatt(logical, "MasterUserSecret.SecretArn"),
                                    }
                                ],
                            },
                        }
                    ],
                },
                db,
            )
            self.add(
                f"{logical}Proxy",
                "AWS::RDS::DBProxy",
                {
                    "DBProxyName": sub(f"${{AWS::StackName}}-{db.id}".replace("_", "-")),
                    "EngineFamily": "POSTGRESQL" if plan.prop(db, "engine") == "postgres" else "MYSQL",
                    "Auth": [
                        {
                            "AuthScheme": "SECRETS",
                            "SecretArn": getatt(logical, "MasterUserSecret.SecretArn"),
                            "IAMAuth": "DISABLED",
                        }
                    ],
                    "RoleArn": getatt(f"{logical}ProxyRole", "Arn"),
                    "VpcSubnetIds": subnets,
                    "VpcSecurityGroupIds": [getatt(group, "GroupId")],
                    "RequireTLS": True,
                },
                db,
            )
            self.add(
                f"{logical}ProxyTargets",
                "AWS::RDS::DBProxyTargetGroup",
                {
                    "DBProxyName": ref(f"{logical}Proxy"),
                    "TargetGroupName": "default",
                    "DBInstanceIdentifiers": [ref(logical)],
                },
                db,
            )
        self.output(f"{logical}Endpoint", self.env_value(db), f"Database endpoint of {plan.label(db)}", db)

    def elasticache_cluster(self, cache: Component) -> None:
        plan, logical = self.plan, self.id(cache)
        group, subnets = self.store_network(cache)
        self.add(
            f"{logical}Subnets",
            "AWS::ElastiCache::SubnetGroup",
            {"Description": f"Private subnets of {cache.id}", "SubnetIds": subnets},
            cache,
        )
        engine, nodes = plan.prop(cache, "engine"), plan.prop(cache, "nodes")
        if engine == "memcached":
            properties: dict[str, Any] = {
                "Engine": "memcached",
                "CacheNodeType": plan.prop(cache, "node_type"),
                "NumCacheNodes": nodes,
                "CacheSubnetGroupName": ref(f"{logical}Subnets"),
                "VpcSecurityGroupIds": [getatt(group, "GroupId")],
                "Tags": tag_list(cache),
            }
            self.add(logical, "AWS::ElastiCache::CacheCluster", properties, cache)
        else:
            properties = {
                "ReplicationGroupDescription": plan.label(cache),
                "Engine": engine,
                "CacheNodeType": plan.prop(cache, "node_type"),
                "NumCacheClusters": nodes,
                "AutomaticFailoverEnabled": nodes > 1,
                "MultiAZEnabled": nodes > 1,
                "CacheSubnetGroupName": ref(f"{logical}Subnets"),
                "SecurityGroupIds": [getatt(group, "GroupId")],
                "AtRestEncryptionEnabled": True,
                "TransitEncryptionEnabled": True,
                "Tags": tag_list(cache),
            }
            self.add(logical, "AWS::ElastiCache::ReplicationGroup", properties, cache)
        self.output(f"{logical}Endpoint", self.cache_endpoint(cache), f"Cache endpoint of {plan.label(cache)}", cache)

    def opensearch_domain(self, domain: Component) -> None:
        plan, logical = self.plan, self.id(domain)
        count = plan.prop(domain, "instance_count")
        vpc = plan.vpc_of(domain)
        zone_aware = count > 1 and count % 2 == 0 and (vpc is None or plan.vpc_prop(vpc, "az_count") >= 2)
        cluster: dict[str, Any] = {
            "InstanceType": plan.prop(domain, "instance_type"),
            "InstanceCount": count,
            "ZoneAwarenessEnabled": zone_aware,
        }
        if zone_aware:
            cluster["ZoneAwarenessConfig"] = {"AvailabilityZoneCount": 2}
        properties: dict[str, Any] = {
            "EngineVersion": "OpenSearch_2.13",
            "ClusterConfig": cluster,
            "EBSOptions": {"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": plan.prop(domain, "storage_gb")},
            "EncryptionAtRestOptions": {"Enabled": True},
            "NodeToNodeEncryptionOptions": {"Enabled": True},
            "DomainEndpointOptions": {"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
            "AccessPolicies": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                        "Action": "es:*",
                        "Resource": sub("arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/*"),
                    }
                ],
            },
            "Tags": tag_list(domain),
        }
        if vpc is not None:
            group, subnets = self.store_network(domain)
            properties["VPCOptions"] = {
                "SubnetIds": subnets[: 2 if zone_aware else 1],
                "SecurityGroupIds": [getatt(group, "GroupId")],
            }
        self.add(
            logical,
            "AWS::OpenSearchService::Domain",
            properties,
            domain,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
        self.output(
            f"{logical}Endpoint", getatt(logical, "DomainEndpoint"), f"Search endpoint of {plan.label(domain)}", domain
        )


def bucket_name_expression(component_id: str) -> dict[str, Any]:
    """<id>-<account>-<first block of the stack's uuid>: unique per stack, lowercase, at most 63 chars."""
    stack_uuid = {"Fn::Select": [2, {"Fn::Split": ["/", ref("AWS::StackId")]}]}
    return {
        "Fn::Join": [
            "-",
            [
                component_id.replace("_", "-")[:30],
                ref("AWS::AccountId"),
                {"Fn::Select": [0, {"Fn::Split": ["-", stack_uuid]}]},
            ],
        ]
    }


def logical_service(service: str) -> str:
    return "".join(part.title() for part in service.replace("-", ".").split("."))


def sam_template(plan: Plan) -> dict[str, Any]:
    """The SAM template of a planned design."""
    return SamTemplate(plan).build()
