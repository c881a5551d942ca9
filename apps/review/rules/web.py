"""The presentation tier and the API edge: origins, CORS and response caching."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from apps.designs.document import Component
from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import API_TYPES, READ_METHODS, WRITE_METHODS, ReviewContext

# An API counts as read-heavy when at least this share of its traffic reads (GET routes, or reads
# downstream of catch-all routes). 80 % reads is where a cache pays: most responses can be reused.
READ_HEAVY_SHARE = 0.8


@dataclass(frozen=True)
class CrossOrigin:
    """An API a browser calls from a page served by another origin."""

    api: Component
    components: tuple[str, ...]  # browsers, the page hosts, the API's own distribution (if any), the API
    page_hosts: tuple[Component, ...]


def _page_hosts(ctx: ReviewContext, browser: Component) -> list[Component]:
    """What serves the browser its pages: a distribution with an S3 origin, or a bucket it loads directly."""
    return [
        link.target
        for link in ctx.out(browser, "request")
        if link.target.type == "s3_bucket"
        or (
            link.target.type == "cloudfront"
            and any(o.target.type == "s3_bucket" for o in ctx.out(link.target, "origin"))
        )
    ]


def _api_hosts(ctx: ReviewContext, browser: Component) -> list[tuple[Component, Component]]:
    """(API, the origin the browser reaches it on): the API itself, or a distribution in front of it."""
    reached = []
    for link in ctx.out(browser, "request"):
        target = link.target
        if target.type in API_TYPES:
            reached.append((target, target))
        elif target.type == "cloudfront":
            reached += [(o.target, target) for o in ctx.out(target, "origin") if o.target.type in API_TYPES]
    return reached


def cross_origin_apis(ctx: ReviewContext) -> list[CrossOrigin]:
    """APIs that single-page apps call across origins, one entry per API.

    The page and the API share an origin only when the same CloudFront distribution serves both (a
    cache behaviour per origin, the single-domain pattern); an API reached directly or through another
    distribution is a different origin, so the browser enforces CORS on every call.
    """
    found: dict[str, tuple[list[str], list[Component]]] = {}
    for browser in ctx.of_type("browser"):
        pages = _page_hosts(ctx, browser)
        for api, host in _api_hosts(ctx, browser):
            others = [page for page in pages if page.id != host.id]
            if not others:
                continue
            ids, hosts = found.setdefault(api.id, ([], []))
            for component in (browser, *others, *([host] if host.id != api.id else [])):
                if component.id not in ids:
                    ids.append(component.id)
            hosts += [page for page in others if all(page.id != known.id for known in hosts)]
    return [
        CrossOrigin(ctx.components[api_id], (*ids, api_id), tuple(hosts))
        for api_id, (ids, hosts) in sorted(found.items())
    ]


def _cors_origins(ctx: ReviewContext, api: Component) -> list[str]:
    raw = ctx.prop(api, "cors_origins") or ""
    return [origin.strip() for origin in str(raw).split(",") if origin.strip()]


def _page_origin_hint(ctx: ReviewContext, hosts: tuple[Component, ...]) -> str:
    for host in hosts:
        domain = ctx.prop(host, "domain_name") if host.type == "cloudfront" else None
        if domain:
            return f"https://{domain}"
    return "the app's origin (https://<your app domain>)"


def _spa_api_cross_origin_without_cors(ctx: ReviewContext) -> Iterator[Hit]:
    for entry in cross_origin_apis(ctx):
        if _cors_origins(ctx, entry.api):
            continue
        yield Hit(
            entry.components,
            f"The single-page app served by {ctx.names(entry.page_hosts)} calls {ctx.name(entry.api)} on a "
            "different origin, and the API allows no origin through CORS: the browser will block every call.",
            f"Set the API's cors_origins to {_page_origin_hint(ctx, entry.page_hosts)}. Or serve the API from the "
            "same CloudFront distribution as the app, as an origin with its own path pattern such as /api/* "
            "(the single-domain pattern): one origin needs no CORS and saves the preflight round trip.",
        )


def _spa_api_cors_preflight(ctx: ReviewContext) -> Iterator[Hit]:
    for entry in cross_origin_apis(ctx):
        if not _cors_origins(ctx, entry.api):
            continue  # spa-api-cross-origin-without-cors reports it
        yield Hit(
            entry.components,
            f"The single-page app served by {ctx.names(entry.page_hosts)} calls {ctx.name(entry.api)} across "
            "origins: CORS works, but browsers send an OPTIONS preflight before non-simple calls, an extra "
            "round trip of latency.",
            "If the latency matters, serve the API from the app's CloudFront distribution under a path such as "
            "/api/* (single-domain pattern) and drop CORS; otherwise nothing to do.",
        )


def _route_read_share(ctx: ReviewContext, api: Component) -> tuple[float, float]:
    """(reads, writes) weights of an API's routes: by method, or downstream data access for ANY."""
    reads = writes = 0.0
    for route in ctx.api_routes(api):
        weight = float(ctx.link_prop(route.link, "ratio"))
        if route.method in READ_METHODS:
            reads += weight
        elif route.method == "ANY":
            down_reads, down_writes = _downstream_access(ctx, route.link.target)
            total = down_reads + down_writes
            if total > 0:
                reads += weight * down_reads / total
                writes += weight * down_writes / total
        elif route.method in WRITE_METHODS:
            writes += weight
    return reads, writes


def _downstream_access(ctx: ReviewContext, target: Component) -> tuple[float, float]:
    """Reads and writes a function or service makes per call, from its data connections' ratios."""
    if target.type != "lambda_function":
        return 0.0, 0.0
    reads = writes = 0.0
    for link in ctx.out(target, "read", "write", "read_write"):
        ratio = float(ctx.link_prop(link, "ratio"))
        if link.kind in ("read", "read_write"):
            reads += ratio
        if link.kind in ("write", "read_write"):
            writes += ratio
    return reads, writes


def _read_heavy_api_without_cache(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_rest"):  # HTTP APIs have no response cache
        if float(ctx.prop(api, "cache_size_gb")) > 0:
            continue
        origins = ctx.into(api, "origin")
        edge_cached = bool(origins) and all(ctx.link_prop(o, "cache_policy") != "caching_disabled" for o in origins)
        if edge_cached and not ctx.into(api, "request"):
            continue  # CloudFront caches its responses already
        reads, writes = _route_read_share(ctx, api)
        if reads + writes == 0 or reads / (reads + writes) < READ_HEAVY_SHARE:
            continue
        yield Hit(
            (api.id,),
            f"{ctx.name(api)} mostly serves reads (about {reads / (reads + writes):.0%} of its traffic by its "
            "routes and the data access behind them) but has no stage cache, so every repeated read runs the "
            "back end again.",
            "Set cache_size_gb (0.5 GB is the smallest, billed by the hour) and cache the GET methods with a TTL "
            "that suits the data, or front the API with CloudFront and a caching policy.",
        )


RULES = (
    Rule(
        id="spa-api-cross-origin-without-cors",
        severity="error",
        title="A single-page app calls its API on another origin without CORS",
        reference=ref.both(
            ref.whitepaper("The Presentation Tier"),
            ref.patterns("Patterns 3, 4 and 5"),
            ref.APIGW_CORS,
        ),
        check=_spa_api_cross_origin_without_cors,
    ),
    Rule(
        id="spa-api-cors-preflight",
        severity="info",
        title="A single-page app pays a CORS preflight for every API call",
        reference=ref.patterns("Pattern 5"),
        check=_spa_api_cors_preflight,
    ),
    Rule(
        id="read-heavy-api-without-cache",
        severity="info",
        title="A read-heavy REST API has no cache",
        reference=ref.both(
            ref.whitepaper("The Serverless Logic Tier › Amazon API Gateway › Stable API Performance Across the Globe"),
            ref.APIGW_CACHING,
        ),
        check=_read_heavy_api_without_cache,
    ),
)
