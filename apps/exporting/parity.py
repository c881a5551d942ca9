"""Where the CDK app and the SAM template (after the SAM transform) differ in resource types, and why.

Both exports come from one Plan and deploy the same architecture; these are the places where the two
tools model the same thing with different resources. The tests fail on any difference not listed.
"""

ONLY_IN_CDK = {
    "AWS::IAM::Policy": "CDK grants (grant_read_write_data, …) attach separate policies; SAM's policy templates are inline in the function role",
    "AWS::ApiGateway::Resource": "CDK models REST routes as resources; SAM writes them into the API's OpenAPI body",
    "AWS::ApiGateway::Method": "as above, one per route and method",
    "AWS::ApiGateway::Authorizer": "CDK authorizers are resources; SAM's live in the OpenAPI body's security schemes",
    "AWS::ApiGatewayV2::Route": "CDK models HTTP API routes as resources; SAM writes them into the OpenAPI body",
    "AWS::ApiGatewayV2::Integration": "as above, one per route",
    "AWS::ApiGatewayV2::Authorizer": "as above, for JWT and Lambda authorizers",
    "Custom::S3BucketNotifications": "CDK sets bucket notifications through a custom resource; SAM writes NotificationConfiguration on the bucket",
    "AWS::SecretsManager::Secret": "CDK's DatabaseInstance generates its credentials secret; SAM lets RDS manage the master password (ManageMasterUserPassword)",
    "AWS::SecretsManager::SecretTargetAttachment": "attaches that generated secret to the database",
    "AWS::EC2::SecurityGroupIngress": "CDK writes rules between security groups as separate resources; SAM inlines them in the group",
    "Custom::OpenSearchAccessPolicy": "CDK applies an OpenSearch domain's access policy through a custom resource; SAM sets AccessPolicies on the domain",
    "AWS::IAM::ManagedPolicy": "CDK moves the statements past a role's inline policy size limit into overflow managed policies (a function connected to many services); SAM keeps them inline",
}
ONLY_IN_SAM = {
    "AWS::Lambda::Alias": "SAM's AutoPublishAlias gives a Lambda@Edge function a `live` alias; CDK hands CloudFront the current version directly",
}
