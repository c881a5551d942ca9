"""Origins and caching: CORS between a single-page app and its API, and read-heavy APIs without a cache."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design
from apps.designs.patterns import get_pattern
from tests.review.designs import comp, design, findings, fn, link, only


def spa(*, api_route: str = "direct", cors: str = "") -> Design:
    """browser → app CDN → private bucket, and the API reached ``direct``, via an ``own_cdn`` or the ``same_cdn``."""
    api_props: dict[str, Any] = {"auth": "cognito"}
    if cors:
        api_props["cors_origins"] = cors
    components = [
        comp("web", "browser", "Users"),
        comp("cdn", "cloudfront", "App CDN", domain_name="app.example.com"),
        comp("spa", "s3_bucket", "SPA build"),
        comp("api", "api_gateway_rest", "Backend API", **api_props),
        comp("users", "cognito_user_pool"),
        fn("handler"),
    ]
    connections = [
        link("web", "cdn", "request"),
        link("cdn", "spa", "origin", path_pattern="*"),
        link("api", "users", "authorize"),
        link("api", "handler", "invoke", route="ANY /api/{proxy+}"),
    ]
    if api_route == "direct":
        connections.append(link("web", "api", "request"))
    elif api_route == "own_cdn":
        components.append(comp("api_cdn", "cloudfront", "API CDN"))
        connections += [
            link("web", "api_cdn", "request"),
            link("api_cdn", "api", "origin", cache_policy="caching_disabled"),
        ]
    else:
        connections.append(link("cdn", "api", "origin", path_pattern="/api/*", cache_policy="caching_disabled"))
    return design(components, connections)


def test_an_spa_calling_its_api_directly_without_cors_is_an_error() -> None:
    finding = only(spa(api_route="direct"), "spa-api-cross-origin-without-cors")
    assert finding["severity"] == "error"
    assert finding["components"] == ["web", "cdn", "api"]
    assert "“Backend API” (api)" in finding["message"] and "“App CDN” (cdn)" in finding["message"]
    assert "https://app.example.com" in finding["fix"]


def test_the_fix_offers_the_single_domain_alternative() -> None:
    fix = only(spa(api_route="direct"), "spa-api-cross-origin-without-cors")["fix"]
    assert "same CloudFront distribution" in fix and "single-domain" in fix and "/api/*" in fix


def test_an_api_behind_another_distribution_is_another_origin() -> None:
    finding = only(spa(api_route="own_cdn"), "spa-api-cross-origin-without-cors")
    assert finding["components"] == ["web", "cdn", "api_cdn", "api"]


def test_an_api_served_by_the_apps_own_distribution_needs_no_cors() -> None:
    doc = spa(api_route="same_cdn")
    assert findings(doc, "spa-api-cross-origin-without-cors") == []
    assert findings(doc, "spa-api-cors-preflight") == []


def test_the_single_domain_pattern_is_not_cross_origin() -> None:
    doc = get_pattern("single-domain").design
    assert findings(doc, "spa-api-cross-origin-without-cors") == []
    assert findings(doc, "spa-api-cors-preflight") == []


def test_an_api_that_allows_the_apps_origin_is_not_an_error() -> None:
    assert findings(spa(api_route="direct", cors="https://app.example.com"), "spa-api-cross-origin-without-cors") == []


def test_cross_origin_calls_with_cors_get_a_preflight_hint() -> None:
    finding = only(spa(api_route="own_cdn", cors="https://app.example.com"), "spa-api-cors-preflight")
    assert finding["severity"] == "info"
    assert "OPTIONS" in finding["message"] and "single-domain" in finding["fix"]


def test_a_mobile_app_calling_an_api_is_not_a_cors_matter() -> None:
    doc = design(
        [comp("app", "mobile_app"), comp("api", "api_gateway_http", auth="iam"), fn("handler")],
        [link("app", "api", "request"), link("api", "handler", "invoke")],
    )
    assert findings(doc, "spa-api-cross-origin-without-cors") == []


def test_an_spa_loaded_straight_from_a_website_bucket_is_another_origin_too() -> None:
    doc = design(
        [comp("web", "browser"), comp("site", "s3_bucket", website=True, public_access=True),
         comp("api", "api_gateway_http", auth="iam"), fn("handler")],
        [link("web", "site", "request"), link("web", "api", "request"), link("api", "handler", "invoke")],
    )  # fmt: skip
    assert only(doc, "spa-api-cross-origin-without-cors")["components"] == ["web", "site", "api"]


def rest_api(*routes: str, cache_size_gb: float = 0, api_type: str = "api_gateway_rest",
             behind_cdn: str | None = None) -> Design:  # fmt: skip
    api_props: dict[str, Any] = {"auth": "iam"}
    if api_type == "api_gateway_rest":
        api_props["cache_size_gb"] = cache_size_gb
    components = [comp("web", "browser"), comp("api", api_type, "Catalog API", **api_props), fn("reader"),
                  fn("writer"), comp("table", "dynamodb_table")]  # fmt: skip
    connections = [link("reader", "table", "read"), link("writer", "table", "write")]
    if behind_cdn:
        components.append(comp("cdn", "cloudfront"))
        connections += [link("web", "cdn", "request"), link("cdn", "api", "origin", cache_policy=behind_cdn)]
    else:
        connections.append(link("web", "api", "request"))
    for route in routes:
        method, _, target = route.partition(":")
        connections.append(link("api", target, "invoke", route=method))
    return design(components, connections)


def test_a_rest_api_serving_mostly_gets_without_a_cache_gets_an_info() -> None:
    doc = rest_api("GET /items:reader", "GET /items/{id}:reader", "GET /tags:reader", "GET /top:reader",
                   "POST /items:writer")  # fmt: skip
    finding = only(doc, "read-heavy-api-without-cache")
    assert finding["severity"] == "info"
    assert finding["components"] == ["api"]
    assert "80%" in finding["message"] and "cache_size_gb" in finding["fix"]


def test_a_catch_all_route_is_judged_by_the_reads_behind_it() -> None:
    assert findings(rest_api("ANY /{proxy+}:reader"), "read-heavy-api-without-cache")
    assert findings(rest_api("ANY /{proxy+}:writer"), "read-heavy-api-without-cache") == []


def test_an_api_with_a_stage_cache_is_not_reported() -> None:
    assert findings(rest_api("GET /items:reader", cache_size_gb=0.5), "read-heavy-api-without-cache") == []


def test_a_write_heavy_api_is_not_reported() -> None:
    doc = rest_api("GET /items:reader", "POST /items:writer", "PUT /items/{id}:writer")
    assert findings(doc, "read-heavy-api-without-cache") == []


def test_an_http_api_has_no_cache_to_suggest() -> None:
    doc = rest_api("GET /items:reader", api_type="api_gateway_http")
    assert findings(doc, "read-heavy-api-without-cache") == []


def test_an_api_cached_by_cloudfront_is_not_reported() -> None:
    doc = rest_api("GET /items:reader", behind_cdn="caching_optimized")
    assert findings(doc, "read-heavy-api-without-cache") == []
    doc = rest_api("GET /items:reader", behind_cdn="caching_disabled")
    assert findings(doc, "read-heavy-api-without-cache")
