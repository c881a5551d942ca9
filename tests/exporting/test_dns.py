"""Custom domains, first class: hosted zones with alias records (health checks, failover), certificates
validated through a zone, and what distributions, APIs and load balancers do with them; the older
domain_name / certificate_arn props keep exporting as before, and a component cannot have both."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import DesignInvalid, validate_design
from apps.designs.patterns import pattern_library
from apps.exporting.bundle import sam_files
from apps.exporting.cdk import stack_module
from apps.exporting.plan import ExportError, Plan


def site(**changes: Any) -> dict[str, Any]:
    """The custom-domain pattern's document, with ``changes`` applied to components by id."""
    document = pattern_library()["custom-domain"].design.canonical()
    for component in document["components"]:
        component["props"].update(changes.get(component["id"], {}))
    return document


def template(document: dict[str, Any]) -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(document))["template.yaml"])


def problems(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(DesignInvalid) as caught:
        validate_design(document)
    return {problem.pointer: problem.message for problem in caught.value.problems}


def at(document: dict[str, Any], collection: str, id: str) -> int:
    """Where the component or connection ``id`` is in the document (for a problem's pointer)."""
    return next(index for index, item in enumerate(document[collection]) if item["id"] == id)


def connect(document: dict[str, Any], id: str, source: str, target: str, kind: str, **props: Any) -> None:
    document["connections"].append({"id": id, "source": source, "target": target, "kind": kind, "props": props})


def test_the_zone_answers_for_each_name_with_alias_records() -> None:
    resources = template(site())["Resources"]
    assert resources["Zone"]["Type"] == "AWS::Route53::HostedZone"
    assert resources["Zone"]["Properties"]["Name"] == "example.com"
    records = {
        (r["Properties"]["Name"], r["Properties"]["Type"]): r["Properties"]["AliasTarget"]
        for r in resources.values()
        if r["Type"] == "AWS::Route53::RecordSet"
    }
    # A distribution answers over IPv4 and IPv6, the API's regional domain name over IPv4.
    assert set(records) == {
        ("www.example.com", "A"), ("www.example.com", "AAAA"), ("example.com", "A"), ("example.com", "AAAA"),
        ("api.example.com", "A"),
    }  # fmt: skip
    assert records["www.example.com", "A"]["DNSName"] == {"Fn::GetAtt": ["Cdn", "DomainName"]}
    assert records["api.example.com", "A"]["DNSName"] == {"Fn::GetAtt": ["ApiDomain1", "RegionalDomainName"]}


def test_the_certificate_is_validated_through_the_zone() -> None:
    certificate = template(site())["Resources"]["Cert"]["Properties"]
    assert certificate["DomainName"] == "example.com"
    assert certificate["SubjectAlternativeNames"] == ["*.example.com"]
    assert certificate["ValidationMethod"] == "DNS"
    # The wildcard is validated by its base name's record, once (as the CDK writes it).
    assert certificate["DomainValidationOptions"] == [{"DomainName": "example.com", "HostedZoneId": {"Ref": "Zone"}}]


def test_cloudfront_serves_the_alias_names_with_the_certificate_and_no_parameters() -> None:
    exported = template(site())
    config = exported["Resources"]["Cdn"]["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["www.example.com", "example.com"]
    assert config["ViewerCertificate"]["AcmCertificateArn"] == {"Ref": "Cert"}
    assert "CdnDomainName" not in exported.get("Parameters", {})


def test_the_api_gets_a_custom_domain_name_mapped_to_its_stage() -> None:
    resources = template(site())["Resources"]
    domain = resources["ApiDomain1"]["Properties"]
    assert resources["ApiDomain1"]["Type"] == "AWS::ApiGateway::DomainName"
    assert domain["DomainName"] == "api.example.com"
    assert domain["RegionalCertificateArn"] == {"Ref": "Cert"}
    assert domain["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    mapping = resources["ApiDomain1Mapping"]
    assert mapping["Type"] == "AWS::ApiGateway::BasePathMapping"
    assert mapping["Properties"]["Stage"] == {"Ref": "Api.Stage"}


def test_an_edge_optimized_api_uses_the_distribution_attributes() -> None:
    resources = template(site(api={"endpoint_type": "edge"}))["Resources"]
    assert resources["ApiDomain1"]["Properties"]["CertificateArn"] == {"Ref": "Cert"}
    record = next(r for r in resources.values() if r["Properties"].get("Name") == "api.example.com")
    assert record["Properties"]["AliasTarget"]["DNSName"] == {"Fn::GetAtt": ["ApiDomain1", "DistributionDomainName"]}


def test_the_cdk_app_writes_the_same_parts() -> None:
    source = stack_module(Plan(validate_design(site())))
    assert "route53.PublicHostedZone(self, 'Zone', zone_name='example.com'" in source
    assert "acm.CertificateValidation.from_dns_multi_zone({'example.com': c_zone})" in source
    assert "apigw.DomainName(self, 'ApiDomain1', domain_name='api.example.com', certificate=c_cert" in source
    assert "route53_targets.ApiGatewayDomain(c_api_domain_1)" in source
    assert "domain_names=['www.example.com', 'example.com']" in source
    # The records come after the API's domain name they point at.
    assert source.index("c_api_domain_1 = ") < source.index("route53_targets.ApiGatewayDomain(c_api_domain_1)")


def failover_design(**primary: Any) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Failover",
        "groups": [{"id": "net", "kind": "vpc", "props": {"nat_gateways": 1}}],
        "components": [
            {"id": "zone", "type": "route53_zone"},
            {"id": "main", "type": "load_balancer", "group": "net", "props": {"scheme": "internet-facing"}},
            {"id": "standby", "type": "load_balancer", "group": "net", "props": {"scheme": "internet-facing"}},
            {"id": "svc", "type": "ecs_service", "group": "net"},
        ],
        "connections": [
            {"id": "f1", "source": "main", "target": "svc", "kind": "forward"},
            {"id": "f2", "source": "standby", "target": "svc", "kind": "forward"},
            {"id": "to_main", "source": "zone", "target": "main", "kind": "alias",
             "props": {"record_name": "app", "failover": "primary", **primary}},
            {"id": "to_standby", "source": "zone", "target": "standby", "kind": "alias",
             "props": {"record_name": "app", "failover": "secondary"}},
        ],
    }  # fmt: skip


def test_a_failover_pair_with_a_health_checked_primary() -> None:
    resources = template(failover_design(health_check_path="/health"))["Resources"]
    check = resources["ZoneHealthCheck1"]["Properties"]["HealthCheckConfig"]
    # The balancers have no certificate: the checker requests HTTP on their own DNS names.
    assert check["Type"] == "HTTP"
    assert check["Port"] == 80
    assert check["ResourcePath"] == "/health"
    assert check["FullyQualifiedDomainName"] == {"Fn::GetAtt": ["Main", "DNSName"]}
    primary, secondary = resources["ZoneRecord1A"]["Properties"], resources["ZoneRecord2A"]["Properties"]
    assert (primary["Failover"], primary["SetIdentifier"], primary["HealthCheckId"]) == (
        "PRIMARY",
        "to_main",
        {"Ref": "ZoneHealthCheck1"},
    )
    assert (secondary["Failover"], secondary["Name"]) == ("SECONDARY", "app.example.com")
    assert "HealthCheckId" not in secondary


def test_a_health_check_of_an_api_requests_its_stage() -> None:
    document = site()
    next(c for c in document["connections"] if c["id"] == "api_name")["props"]["health_check_path"] = "/ping"
    resources = template(document)["Resources"]
    check = next(r for r in resources.values() if r["Type"] == "AWS::Route53::HealthCheck")
    config = check["Properties"]["HealthCheckConfig"]
    assert (config["Type"], config["ResourcePath"], config["EnableSNI"]) == ("HTTPS", "/prod/ping", True)


def test_a_private_zone_is_associated_with_its_vpc() -> None:
    document = failover_design()
    document["components"][0].update({"group": "net", "props": {"private": True, "domain_name": "internal.example"}})
    for connection in document["connections"][2:]:
        connection["props"].pop("failover")
    document["connections"][3]["props"]["record_name"] = "standby"
    resources = template(document)["Resources"]
    assert resources["Zone"]["Properties"]["VPCs"] == [{"VPCId": {"Ref": "Net"}, "VPCRegion": {"Ref": "AWS::Region"}}]
    assert "route53.PrivateHostedZone(self, 'Zone', zone_name='internal.example'" in stack_module(
        Plan(validate_design(document))
    )


def test_a_load_balancer_listens_with_https_with_its_certificate() -> None:
    document = failover_design()
    document["components"].append(
        {"id": "cert", "type": "acm_certificate", "props": {"domain_name": "app.example.com"}}
    )
    connect(document, "tls", "main", "cert", "secure")
    resources = template(document)["Resources"]
    listener = resources["MainListener"]["Properties"]
    assert (listener["Protocol"], listener["Certificates"]) == ("HTTPS", [{"CertificateArn": {"Ref": "Cert"}}])
    assert "elbv2.ListenerCertificate.from_certificate_manager(c_cert)" in stack_module(Plan(validate_design(document)))


# -- the older props: unchanged, and never together with a certificate connection --------------------------


def test_the_domain_name_prop_still_makes_parameters() -> None:
    exported = template(pattern_library()["s3-website"].design.canonical())
    assert exported["Parameters"]["CdnDomainName"]["Default"] == "www.example.com"
    assert "Fn::If" in exported["Resources"]["Cdn"]["Properties"]["DistributionConfig"]["Aliases"]


def test_a_domain_name_prop_and_a_certificate_connection_are_refused() -> None:
    document = site(cdn={"domain_name": "www.example.com"})
    found = problems(document)
    assert "clear domain_name" in found[f"/components/{at(document, 'components', 'cdn')}/props/domain_name"]


def test_a_certificate_arn_and_a_certificate_connection_are_refused() -> None:
    document = failover_design()
    document["components"][1]["props"]["certificate_arn"] = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    document["components"].append({"id": "cert", "type": "acm_certificate"})
    connect(document, "tls", "main", "cert", "secure")
    assert "clear certificate_arn" in problems(document)["/components/1/props/certificate_arn"]


# -- what AWS would refuse, refused up front -------------------------------------------------------------------


def test_cloudfront_takes_certificates_from_us_east_1_only() -> None:
    document = site()
    document["groups"] = [{"id": "eu", "kind": "account", "props": {"region": "eu-west-1"}}]
    for component in document["components"]:
        component["group"] = "eu"
    found = problems(document)
    assert (
        found[f"/connections/{at(document, 'connections', 'cdn_tls')}/target"]
        == "CloudFront uses certificates from us-east-1 only, and cert is in eu-west-1"
    )


def test_an_alias_to_a_distribution_needs_a_certificate() -> None:
    document = site()
    document["connections"] = [c for c in document["connections"] if c["id"] != "cdn_tls"]
    message = problems(document)[f"/connections/{at(document, 'connections', 'www')}/target"]
    assert "only with a certificate" in message


def test_a_name_the_certificate_does_not_cover_is_refused() -> None:
    document = site(cert={"subject_alternative_names": "www.example.com"})
    assert problems(document)[f"/connections/{at(document, 'connections', 'api_name')}/props/record_name"] == (
        "cert does not cover api.example.com: add it to its subject_alternative_names"
    )


def test_two_records_for_one_name_must_be_a_failover_pair() -> None:
    document = failover_design()
    document["connections"][3]["props"]["failover"] = "primary"
    assert "must be a failover pair" in problems(document)["/connections/3/props/record_name"]


def test_one_name_cannot_be_the_custom_domain_of_two_endpoints() -> None:
    # Without alias records, an API serves the certificate's own name, which the distribution already has:
    # the design stays valid (composing a pattern twice makes such designs), the export refuses it.
    document = site()
    document["components"].append({"id": "api2", "type": "api_gateway_http"})
    connect(document, "api2_tls", "api2", "cert", "secure")
    with pytest.raises(ExportError, match="example.com is already the custom domain of 'cdn'"):
        Plan(validate_design(document))


def test_a_wildcard_certificate_alone_names_no_domain() -> None:
    document = site(cert={"domain_name": "*.example.com", "subject_alternative_names": ""})
    document["components"].append({"id": "api2", "type": "api_gateway_http"})
    connect(document, "a2", "api2", "cert", "secure")
    assert "names no domain for api2" in problems(document)[f"/connections/{at(document, 'connections', 'a2')}/target"]


def test_a_private_zone_must_be_in_a_vpc_and_cannot_validate() -> None:
    document = site(zone={"private": True})
    found = problems(document)
    assert "put it in one" in found[f"/components/{at(document, 'components', 'zone')}/props/private"]
    assert "private zone" in found[f"/connections/{at(document, 'connections', 'dns_validation')}/target"]
    assert "CloudFront" in found[f"/connections/{at(document, 'connections', 'apex')}/target"]


def test_a_websocket_api_has_no_health_check() -> None:
    document = site()
    document["components"].append({"id": "chat", "type": "api_gateway_websocket"})
    connect(document, "w1", "chat", "cert", "secure")
    connect(document, "w2", "zone", "chat", "alias", record_name="chat", health_check_path="/")
    assert (
        "WebSocket" in problems(document)[f"/connections/{at(document, 'connections', 'w2')}/props/health_check_path"]
    )


def test_the_readmes_say_to_delegate_the_domain_to_the_zone() -> None:
    from apps.exporting.bundle import cdk_files

    design = validate_design(site())
    for files in (sam_files(design), cdk_files(design)):
        assert "delegated to it" in files["README.md"]
    assert "delegated" not in sam_files(pattern_library()["s3-website"].design)["README.md"]
