"""Identity: Cognito user pools, their app client, an optional identity pool, and their triggers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tags, var
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

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
CDK_TRIGGERS = {
    "PreSignUp": "PRE_SIGN_UP", "PostConfirmation": "POST_CONFIRMATION", "PreAuthentication": "PRE_AUTHENTICATION",
    "PostAuthentication": "POST_AUTHENTICATION", "PreTokenGeneration": "PRE_TOKEN_GENERATION", "CustomMessage": "CUSTOM_MESSAGE",
    "DefineAuthChallenge": "DEFINE_AUTH_CHALLENGE", "CreateAuthChallenge": "CREATE_AUTH_CHALLENGE",
    "VerifyAuthChallengeResponse": "VERIFY_AUTH_CHALLENGE_RESPONSE", "UserMigration": "USER_MIGRATION",
}  # fmt: skip


def sam_cognito_user_pool(sam: SamTemplate, pool: Component) -> None:
    plan, logical = sam.plan, sam.id(pool)
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
    sam.add(logical, "AWS::Cognito::UserPool", properties, pool)
    sam.add(
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
    sam.output(f"{logical}Id", ref(logical), f"User pool id of {plan.label(pool)}", pool)
    sam.output(f"{logical}ClientId", ref(f"{logical}Client"), f"App client id of {plan.label(pool)}", pool)
    if plan.prop(pool, "identity_pool"):
        identity = f"{logical}IdentityPool"
        sam.add(
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
        sam.add(
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
        sam.add(
            f"{logical}IdentityRoles",
            "AWS::Cognito::IdentityPoolRoleAttachment",
            {
                "IdentityPoolId": ref(identity),
                "Roles": {"authenticated": getatt(f"{logical}AuthenticatedRole", "Arn")},
            },
            pool,
        )


def cognito_trigger(link: Link) -> str:
    wanted = link.connection.props.get("events")
    return wanted if wanted in COGNITO_TRIGGERS else "PostConfirmation"


def cdk_cognito_user_pool(cdk: CdkStack, pool: Component) -> None:
    v, mfa = var(pool), cdk.prop(pool, "mfa")
    cdk.emit(f"# {cdk.id(pool)}: Cognito user pool")
    cdk.emit(
        f"{v} = cognito.UserPool(self, {py(cdk.id(pool))}, sign_in_aliases=cognito.SignInAliases(email=True), "
        "auto_verify=cognito.AutoVerifiedAttrs(email=True), "
        f"mfa=cognito.Mfa.{ {'off': 'OFF', 'optional': 'OPTIONAL', 'on': 'REQUIRED'}[mfa] }, "
        + ("mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True), " if mfa != "off" else "")
        + f"password_policy=cognito.PasswordPolicy(min_length={cdk.prop(pool, 'password_min_length')}, require_symbols=False), "
        "account_recovery=cognito.AccountRecovery.EMAIL_ONLY)"
    )
    cdk.emit(
        f'{v}_client = {v}.add_client("Client", auth_flows=cognito.AuthFlow(user_srp=True), generate_secret=False, prevent_user_existence_errors=True)'
    )
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(pool) + 'Id')}, value={v}.user_pool_id)")
    if cdk.prop(pool, "identity_pool"):
        logical = cdk.id(pool)
        cdk.emit(
            f"{v}_identity = cognito.CfnIdentityPool(self, {py(logical + 'IdentityPool')}, allow_unauthenticated_identities=False, "
            f"cognito_identity_providers=[cognito.CfnIdentityPool.CognitoIdentityProviderProperty(client_id={v}_client.user_pool_client_id, provider_name={v}.user_pool_provider_name)])"
        )
        cdk.emit(
            f"{v}_authenticated = iam.Role(self, {py(logical + 'AuthenticatedRole')}, assumed_by=iam.FederatedPrincipal('cognito-identity.amazonaws.com', "
            f"{{'StringEquals': {{'cognito-identity.amazonaws.com:aud': {v}_identity.ref}}, 'ForAnyValue:StringLike': {{'cognito-identity.amazonaws.com:amr': 'authenticated'}}}}, "
            "'sts:AssumeRoleWithWebIdentity'))"
        )
        cdk.emit(
            f"cognito.CfnIdentityPoolRoleAttachment(self, {py(logical + 'IdentityRoles')}, identity_pool_id={v}_identity.ref, roles={{'authenticated': {v}_authenticated.role_arn}})"
        )
    cdk.emit()


def cdk_pool_wiring(cdk: CdkStack, pool: Component) -> None:
    """The pool's triggers (its side of a trigger connection to a function)."""
    links = cdk.plan.out(pool, "trigger")
    for link in links:
        trigger = CDK_TRIGGERS[cognito_trigger(link)]
        cdk.emit(f"{var(pool)}.add_trigger(cognito.UserPoolOperation.{trigger}, {var(link.target)})")
    if links:
        cdk.emit()


SERVICES = (
    Service(
        "cognito_user_pool",
        sam=sam_cognito_user_pool,
        cdk=cdk_cognito_user_pool,
        cdk_order=10,
        cdk_wiring=cdk_pool_wiring,
    ),
)
