"""Kinesis enhanced fan-out: a poll connection that reads a stream through a consumer of its own."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import DesignInvalid, validate_design
from apps.exporting.bundle import cdk_files, sam_files


def doc(source_type: str = "kinesis_stream", target_type: str = "lambda_function", **props: Any) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Fan-out",
        "components": [
            {"id": "clicks", "type": source_type},
            {"id": "reader", "type": target_type},
            {"id": "shared", "type": "lambda_function"},
        ],
        "connections": [
            {"id": "c1", "source": "clicks", "target": "reader", "kind": "poll", "props": props},
            {"id": "c2", "source": "clicks", "target": "shared", "kind": "poll", "props": {}},
        ],
    }


def resources(document: dict[str, Any]) -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(document))["template.yaml"])["Resources"]


def test_the_function_reads_through_a_consumer_registered_on_the_stream() -> None:
    found = resources(doc(enhanced_fan_out=True))
    consumer = found["ClicksConsumerReader"]
    assert consumer["Type"] == "AWS::Kinesis::StreamConsumer"
    assert consumer["Properties"] == {"StreamARN": {"Fn::GetAtt": ["Clicks", "Arn"]}, "ConsumerName": "Reader"}
    event = found["Reader"]["Properties"]["Events"]
    (properties,) = [e["Properties"] for e in event.values() if e["Type"] == "Kinesis"]
    assert properties["Stream"] == {"Fn::GetAtt": ["ClicksConsumerReader", "ConsumerARN"]}
    # The other function keeps reading the stream's shared throughput.
    (shared,) = [e["Properties"] for e in found["Shared"]["Properties"]["Events"].values()]
    assert shared["Stream"] == {"Fn::GetAtt": ["Clicks", "Arn"]}
    assert [k for k, v in found.items() if v["Type"] == "AWS::Kinesis::StreamConsumer"] == ["ClicksConsumerReader"]


def test_without_the_prop_there_is_no_consumer() -> None:
    found = resources(doc())
    assert not [k for k, v in found.items() if v["Type"] == "AWS::Kinesis::StreamConsumer"]


def test_cdk_registers_the_same_consumer_and_maps_the_function_to_it() -> None:
    code = cdk_files(validate_design(doc(enhanced_fan_out=True)))["tierplan_stack.py"]
    assert (
        "kinesis.StreamConsumer(self, 'ClicksConsumerReader', stream=c_clicks, stream_consumer_name='Reader')" in code
    )
    assert "event_sources.KinesisConsumerEventSource(c_clicks_consumer_reader," in code
    assert "event_sources.KinesisEventSource(c_clicks," in code  # the shared reader


@pytest.mark.parametrize(
    ("source_type", "target_type"),
    [("kinesis_stream", "eventbridge_pipe"), ("kinesis_stream", "firehose_stream"), ("sqs_queue", "lambda_function")],
)
def test_fan_out_anywhere_else_is_refused_rather_than_ignored(source_type: str, target_type: str) -> None:
    with pytest.raises(DesignInvalid, match="enhanced fan-out"):
        validate_design(doc(source_type, target_type, enhanced_fan_out=True))
