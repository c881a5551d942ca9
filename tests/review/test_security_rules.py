"""Access control rules: static API keys, missing authorizers, open write APIs, public buckets."""

from __future__ import annotations

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, fn, link, only


def keyed_api(auth: str) -> Design:
    return design(
        [comp("app", "mobile_app"), comp("api", "api_gateway_rest", "Partner API", auth=auth),
         comp("users", "cognito_user_pool"), fn("handler")],
        [link("app", "api", "request"), link("api", "users", "authorize"),
         link("api", "handler", "invoke", route="GET /items")],
    )  # fmt: skip


def test_an_api_protected_only_by_api_keys_is_an_error() -> None:
    finding = only(keyed_api("api_key"), "api-static-keys-only")
    assert finding["severity"] == "error"
    assert finding["components"] == ["api"]
    assert "“Partner API” (api)" in finding["message"]
    assert "Cognito" in finding["fix"]
    assert "Security" in finding["reference"] and "Serverless Multi-Tier Architectures" in finding["reference"]
    assert ".txt" not in finding["reference"]  # documents by title, never by seed file name


def test_an_api_with_a_cognito_authorizer_does_not_rely_on_keys() -> None:
    assert findings(keyed_api("cognito"), "api-static-keys-only") == []


def test_an_auth_setting_without_its_authorizer_is_an_error() -> None:
    doc = design(
        [comp("web", "browser"), comp("api", "api_gateway_http", auth="jwt"), fn("handler")],
        [link("web", "api", "request"), link("api", "handler", "invoke", route="GET /items")],
    )
    finding = only(doc, "api-authorizer-missing")
    assert finding["severity"] == "error"
    assert "Cognito user pool" in finding["message"]


def test_a_lambda_auth_setting_needs_a_function_not_a_user_pool() -> None:
    doc = design(
        [comp("api", "api_gateway_rest", auth="lambda"), comp("users", "cognito_user_pool")],
        [link("api", "users", "authorize")],
    )
    assert "Lambda authorizer" in only(doc, "api-authorizer-missing")["message"]


def test_an_auth_setting_with_its_authorizer_connected_is_fine() -> None:
    assert findings(keyed_api("cognito"), "api-authorizer-missing") == []


def open_api(*routes: str, auth: str = "none", integrate: bool = False) -> Design:
    connections = [link("web", "api", "request")]
    connections += [link("api", "handler", "invoke", route=route) for route in routes]
    if integrate:
        connections.append(link("api", "queue", "integrate"))
    return design(
        [comp("web", "browser"), comp("api", "api_gateway_rest", "Public API", auth=auth), fn("handler"),
         comp("queue", "sqs_queue")],
        connections,
    )  # fmt: skip


def test_a_write_route_without_an_authorizer_is_a_warning() -> None:
    finding = only(open_api("GET /orders", "POST /orders"), "write-api-without-authorizer")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["api", "handler"]
    assert "POST /orders" in finding["message"]
    assert "GET /orders" not in finding["message"]


def test_a_catch_all_proxy_route_counts_as_a_write() -> None:
    assert findings(open_api("ANY /{proxy+}"), "write-api-without-authorizer")


def test_a_service_integration_without_a_route_counts_as_a_write() -> None:
    finding = only(open_api(integrate=True), "write-api-without-authorizer")
    assert finding["components"] == ["api", "queue"]
    assert "POST /queue" in finding["message"]


def test_a_read_only_api_without_an_authorizer_is_not_reported() -> None:
    assert findings(open_api("GET /orders", "HEAD /orders"), "write-api-without-authorizer") == []


def test_a_write_api_with_iam_auth_is_not_reported() -> None:
    assert findings(open_api("POST /orders", auth="iam"), "write-api-without-authorizer") == []


def test_a_connected_authorizer_is_not_used_while_auth_is_none() -> None:
    doc = design(
        [comp("api", "api_gateway_rest"), comp("users", "cognito_user_pool"), fn("handler")],
        [link("api", "users", "authorize"), link("api", "handler", "invoke", route="DELETE /orders/{id}")],
    )
    assert "auth 'none' means no route uses it" in only(doc, "write-api-without-authorizer")["message"]


def website(*, cloudfront: bool, **bucket_props: object) -> Design:
    if cloudfront:
        return design(
            [comp("web", "browser"), comp("cdn", "cloudfront"), comp("site", "s3_bucket", "Site", **bucket_props)],
            [link("web", "cdn", "request"), link("cdn", "site", "origin")],
        )
    return design(
        [comp("web", "browser", "Visitors"), comp("site", "s3_bucket", "Site", **bucket_props)],
        [link("web", "site", "request")],
    )


def test_a_public_website_bucket_reached_directly_by_browsers_is_a_warning() -> None:
    finding = only(website(cloudfront=False, website=True, public_access=True), "s3-website-without-cloudfront")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["web", "site"]
    assert "HTTP" in finding["message"] and "CloudFront" in finding["fix"]


def test_a_public_bucket_without_the_website_flag_is_reported_too() -> None:
    assert findings(website(cloudfront=False, public_access=True), "s3-website-without-cloudfront")


def test_a_private_bucket_behind_cloudfront_is_not_reported() -> None:
    assert findings(website(cloudfront=True), "s3-website-without-cloudfront") == []


def test_a_public_bucket_behind_cloudfront_is_a_warning() -> None:
    finding = only(website(cloudfront=True, public_access=True), "s3-public-behind-cloudfront")
    assert finding["components"] == ["cdn", "site"]
    assert "origin access control" in finding["fix"]


def test_a_private_bucket_behind_cloudfront_is_not_public() -> None:
    assert findings(website(cloudfront=True), "s3-public-behind-cloudfront") == []
