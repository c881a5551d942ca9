"""Access control: who may call the APIs and read the buckets."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from apps.designs.firewall import web_acl_rules
from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import API_TYPES, CLIENT_TYPES, WRITE_METHODS, ReviewContext

WAF_RULES = "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html"
# The component type an ``auth`` value needs behind an ``authorize`` connection.
AUTHORIZER_TYPES = {"cognito": "cognito_user_pool", "jwt": "cognito_user_pool", "lambda": "lambda_function"}


def _web_acl_that_blocks_nothing(ctx: ReviewContext) -> Iterator[Hit]:
    for acl in ctx.of_type("waf_web_acl"):
        protected = [link.target for link in ctx.out(acl, "protect")]
        rules = web_acl_rules(partial(ctx.prop, acl))
        if ctx.prop(acl, "default_action") == "allow" and not rules:
            yield Hit(
                (acl.id, *(c.id for c in protected)),
                f"{ctx.name(acl)} has no rules and allows every request by default: it inspects (and bills) "
                f"{'the traffic of ' + ctx.names(protected) if protected else 'traffic'} without ever blocking any.",
                "Turn on the AWS managed rule groups (core rule set, known bad inputs) and a rate limit per client "
                "IP, or remove the web ACL.",
            )
        elif not protected:
            yield Hit(
                (acl.id,),
                f"{ctx.name(acl)} protects nothing: a web ACL takes effect only once it is associated with a "
                "CloudFront distribution, a REST API stage or a user pool, and it is billed either way.",
                "Connect it with 'protect' to what it should guard, or remove it.",
            )


def _api_static_keys_only(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type(*API_TYPES):
        if ctx.prop(api, "auth") == "api_key":
            yield Hit(
                (api.id,),
                f"{ctx.name(api)} relies on static API keys alone for access control: a key shipped in a client "
                "can be extracted and used by anyone, and API keys are meant for usage plans and throttling, "
                "not for authorization.",
                "Authorize callers with a Cognito user pool (auth: cognito, connected with 'authorize'), a Lambda "
                "authorizer (auth: lambda) or IAM (SigV4) for service callers; keep API keys only to meter usage.",
            )


def _api_authorizer_missing(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type(*API_TYPES):
        auth = ctx.prop(api, "auth")
        wanted = AUTHORIZER_TYPES.get(auth)
        if wanted is None:
            continue
        if not any(link.target.type == wanted for link in ctx.out(api, "authorize")):
            what = "Cognito user pool" if wanted == "cognito_user_pool" else "Lambda authorizer function"
            yield Hit(
                (api.id,),
                f"{ctx.name(api)} has auth '{auth}' but no {what} is connected to it, so nothing can check "
                "the callers (and the export refuses the design).",
                f"Connect the API to a {what} with an 'authorize' connection, or change its auth setting.",
            )


def _write_api_without_authorizer(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type(*API_TYPES):
        if ctx.prop(api, "auth") != "none":
            continue
        writes = [route for route in ctx.api_routes(api) if route.method in WRITE_METHODS]
        if not writes:
            continue
        shown = ", ".join(f"{route.method} {route.path} → {route.link.target.id}" for route in writes[:5])
        more = f" and {len(writes) - 5} more" if len(writes) > 5 else ""
        unused = (
            " An authorizer is connected, but auth 'none' means no route uses it." if ctx.out(api, "authorize") else ""
        )
        yield Hit(
            (api.id, *dict.fromkeys(route.link.target.id for route in writes)),
            f"{ctx.name(api)} accepts writes from anyone: it has no authorizer and routes {shown}{more} "
            f"can change state.{unused}",
            "Set the API's auth to cognito (or jwt for an HTTP API), lambda or iam and connect the authorizer; "
            "if the API is deliberately public, keep writes behind throttling and validate every request.",
        )


def _s3_website_without_cloudfront(ctx: ReviewContext) -> Iterator[Hit]:
    for bucket in ctx.of_type("s3_bucket"):
        if not (ctx.prop(bucket, "website") or ctx.prop(bucket, "public_access")):
            continue
        clients = [link.source for link in ctx.into(bucket, "request") if link.source.type in CLIENT_TYPES]
        if not clients:
            continue
        yield Hit(
            (*dict.fromkeys(c.id for c in clients), bucket.id),
            f"{ctx.names(clients)} load{'s' if len(clients) == 1 else ''} {ctx.name(bucket)} straight from S3: "
            "the bucket must be public, S3 website endpoints serve plain HTTP only (no TLS on a custom domain), "
            "and nothing caches the content at the edge.",
            "Put a CloudFront distribution in front (client → cloudfront → bucket with an 'origin' connection), "
            "keep the bucket private with an origin access control, and turn public_access off.",
        )


def _s3_public_behind_cloudfront(ctx: ReviewContext) -> Iterator[Hit]:
    for bucket in ctx.of_type("s3_bucket"):
        if not ctx.prop(bucket, "public_access"):
            continue
        distributions = [link.source for link in ctx.into(bucket, "origin")]
        if not distributions:
            continue
        yield Hit(
            (*dict.fromkeys(d.id for d in distributions), bucket.id),
            f"{ctx.name(bucket)} is served through {ctx.names(distributions)} yet its objects are public, so "
            "anyone can bypass the CDN (and its caching, logging and edge functions) and read the bucket directly.",
            "Turn public_access off and let CloudFront read the bucket through an origin access control.",
        )


RULES = (
    Rule(
        id="api-static-keys-only",
        severity="error",
        title="Static API keys are the only access control on an API",
        reference=ref.whitepaper("The Serverless Logic Tier › Amazon API Gateway › Security"),
        check=_api_static_keys_only,
    ),
    Rule(
        id="api-authorizer-missing",
        severity="error",
        title="An API's auth setting names an authorizer that is not connected",
        reference=ref.both(
            ref.whitepaper("The Serverless Logic Tier › Amazon API Gateway › Security"),
            ref.patterns("Pattern 7"),
        ),
        check=_api_authorizer_missing,
    ),
    Rule(
        id="write-api-without-authorizer",
        severity="warning",
        title="An API accepts writes with no authorizer",
        reference=ref.both(
            ref.whitepaper("The Serverless Logic Tier › Amazon API Gateway › Security"),
            ref.patterns("Pattern 7"),
        ),
        check=_write_api_without_authorizer,
    ),
    Rule(
        id="s3-website-without-cloudfront",
        severity="warning",
        title="A public S3 website is reached by clients without CloudFront in front",
        reference=ref.both(
            ref.whitepaper("Sample Architecture Patterns › Amazon S3 Hosted Website"),
            ref.patterns("Pattern 3"),
            ref.S3_WEBSITE_ENDPOINTS,
        ),
        check=_s3_website_without_cloudfront,
    ),
    Rule(
        id="web-acl-without-effect",
        severity="warning",
        title="A WAF web ACL that blocks nothing or protects nothing",
        reference=f"AWS WAF Developer Guide, “Web ACL default action” ({WAF_RULES})",
        check=_web_acl_that_blocks_nothing,
    ),
    Rule(
        id="s3-public-behind-cloudfront",
        severity="warning",
        title="A bucket served through CloudFront is also public",
        reference=ref.both(ref.patterns("Pattern 3"), ref.CLOUDFRONT_OAC),
        check=_s3_public_behind_cloudfront,
    ),
)
