"""Reading templates safely: what is accepted, and each bad input refused with a message that says why."""

from __future__ import annotations

import json

import pytest

from apps.importing.loader import MAX_BYTES, MAX_RESOURCES, TemplateRefused, load_template

MINIMAL = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"


def refused(text: str | bytes) -> str:
    with pytest.raises(TemplateRefused) as caught:
        load_template(text)
    return str(caught.value)


def test_short_tags_come_back_in_their_long_form() -> None:
    template = load_template(
        MINIMAL
        + "    Properties:\n"
        + "      A: !Ref Other\n"
        + "      B: !GetAtt Other.Arn\n"
        + "      C: !Sub '${Other}-x'\n"
        + "      D: !If [IsProd, !Join ['', [a, !Select [0, !GetAZs '']]], !FindInMap [M, K, V]]\n"
        + "      E: !Base64 text\n"
    )
    properties = template["Resources"]["Queue"]["Properties"]
    assert properties["A"] == {"Ref": "Other"}
    assert properties["B"] == {"Fn::GetAtt": ["Other", "Arn"]}
    assert properties["C"] == {"Fn::Sub": "${Other}-x"}
    assert properties["D"] == {
        "Fn::If": [
            "IsProd",
            {"Fn::Join": ["", ["a", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}]]},
            {"Fn::FindInMap": ["M", "K", "V"]},
        ]
    }
    assert properties["E"] == {"Fn::Base64": "text"}


def test_the_format_version_stays_text_not_a_date() -> None:
    assert load_template("AWSTemplateFormatVersion: 2010-09-09\n" + MINIMAL)["AWSTemplateFormatVersion"] == "2010-09-09"


def test_json_templates_are_read_as_json() -> None:
    text = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
    assert load_template(text)["Resources"]["Topic"]["Type"] == "AWS::SNS::Topic"


def test_a_key_given_twice_is_read_as_cloudformation_reads_it_and_noted() -> None:
    notes: list[str] = []
    template = load_template(MINIMAL + "    Properties:\n      DelaySeconds: 1\n      DelaySeconds: 2\n", notes)
    assert template["Resources"]["Queue"]["Properties"]["DelaySeconds"] == 2
    assert notes == ["the key 'DelaySeconds' appears twice in one mapping (line 6, column 7); the last is used"]


def test_a_few_aliases_are_expanded_into_independent_copies() -> None:
    template = load_template(
        "Resources:\n"
        "  A:\n    Type: AWS::SQS::Queue\n    Properties: &props {Tags: [{Key: k, Value: v}]}\n"
        "  B:\n    Type: AWS::SQS::Queue\n    Properties: *props\n"
    )
    a, b = template["Resources"]["A"]["Properties"], template["Resources"]["B"]["Properties"]
    assert a == b and a is not b


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    message = refused("\n".join(lines) + "\n" + MINIMAL)
    assert "expands to more than" in message and "aliases" in message


def test_hundreds_of_aliases_are_refused() -> None:
    text = "x: &x 1\nmany: [" + ", ".join(["*x"] * 300) + "]\n" + MINIMAL
    assert "more than 200 YAML aliases" in refused(text)


def test_a_tag_that_is_not_an_intrinsic_is_refused_with_its_line() -> None:
    message = refused(MINIMAL + "    Properties:\n      A: !Evil x\n")
    assert message.startswith("unknown tag !Evil at line 5, column 10")


def test_python_object_tags_are_refused() -> None:
    assert "not valid YAML" in refused(MINIMAL + "    Properties: !!python/object/apply:os.system [ls]\n")


def test_text_that_is_neither_json_nor_yaml_is_refused() -> None:
    assert refused("Resources: [unclosed\n").startswith("not valid YAML:")
    assert refused('{"Resources": ').startswith("not valid JSON:")


def test_a_document_without_resources_is_not_a_template() -> None:
    assert refused("Description: nothing here\n").startswith("not a template: it has no Resources mapping")
    assert refused("- a\n- list\n").startswith("not a template: a CloudFormation template is a mapping")
    assert refused("Resources: {}\n").startswith("not a template")


def test_a_resource_without_a_type_is_refused() -> None:
    assert (
        refused("Resources:\n  Thing:\n    Properties: {}\n")
        == "Resources/Thing is not a resource: it needs a Type (a string)"
    )


def test_more_than_a_megabyte_is_refused_before_parsing() -> None:
    message = refused(MINIMAL + "#" * MAX_BYTES)
    assert "at most 1,048,576 (1 MB) are read" in message


def test_more_resources_than_a_stack_holds_are_refused() -> None:
    resources = {f"Q{i}": {"Type": "AWS::SQS::Queue"} for i in range(MAX_RESOURCES + 1)}
    message = refused(json.dumps({"Resources": resources}))
    assert message == "the template declares 501 resources; CloudFormation allows at most 500 in one stack"


def test_bytes_that_are_not_utf8_are_refused() -> None:
    assert refused(b"Resources: \xff\xfe").startswith("the template is not UTF-8 text")


def test_empty_input_and_nul_characters_are_refused() -> None:
    assert refused("  \n") == "the template is empty"
    assert "NUL" in refused(MINIMAL + "\x00")


def test_nesting_past_the_limit_is_refused() -> None:
    assert "nested more than 64 levels" in refused(MINIMAL + "    Properties: " + "[" * 70 + "]" * 70 + "\n")


def test_a_template_that_runs_a_macro_is_refused_and_an_aws_include_is_reported() -> None:
    from apps.importing.engine import import_template

    with pytest.raises(TemplateRefused, match="runs the macro Shout"):
        import_template("Transform: [AWS::Serverless-2016-10-31, Shout]\n" + MINIMAL)
    with pytest.raises(TemplateRefused, match="runs the macro Upper"):
        import_template(MINIMAL + "    Properties:\n      Tags: {'Fn::Transform': {Name: Upper}}\n")
    result = import_template(
        MINIMAL
        + "    Properties:\n      Tags: {'Fn::Transform': {Name: AWS::Include, Parameters: {Location: s3://b/t.yaml}}}\n"
    )
    assert result.report.not_understood == [
        "Fn::Transform AWS::Include reads 's3://b/t.yaml' at deploy time; kept as written"
    ]


def test_a_control_character_yaml_never_allows_is_refused_not_an_error() -> None:
    assert refused(MINIMAL + '    Properties: {Name: "a\x10b"}\n').startswith("not valid YAML: the character #x0010")
