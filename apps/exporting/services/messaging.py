"""Messaging: SQS queues, Kinesis streams, SNS topics and EventBridge buses (or schedules)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import bucket_arn_expression, getatt, py, ref, sub, tag_list, trust_policy, var
from apps.exporting.services.base import Service, cdk_attribute, grant_call
from apps.exporting.services.batch import cdk_job_target, sam_job_target

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


def sam_sqs_queue(sam: SamTemplate, queue: Component) -> None:
    plan, logical = sam.plan, sam.id(queue)
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
            "deadLetterTargetArn": getatt(sam.id(dead_letter), "Arn"),
            "maxReceiveCount": plan.prop(queue, "max_receive_count"),
        }
    sam.add(logical, "AWS::SQS::Queue", properties, queue)
    statements = [
        {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sqs:SendMessage",
            "Resource": getatt(logical, "Arn"),
            "Condition": condition,
        }
        for service, condition in queue_senders(sam, queue)
    ]
    if statements:
        sam.add(
            f"{logical}Policy",
            "AWS::SQS::QueuePolicy",
            {"Queues": [ref(logical)], "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}},
            queue,
        )
    sam.output(f"{logical}Url", ref(logical), f"Queue URL of {plan.label(queue)}", queue)


def sam_dead_letter_config(sam: SamTemplate, source: Component) -> dict[str, Any]:
    """SAM's DeadLetterConfig for what a bus or schedule fails to deliver (empty when it has no DLQ)."""
    dead_letter = sam.plan.dead_letter(source)
    return {"DeadLetterConfig": {"Arn": getatt(sam.id(dead_letter), "Arn")}} if dead_letter is not None else {}


def sam_redrive_policy(sam: SamTemplate, topic: Component) -> dict[str, Any]:
    """An SNS subscription's RedrivePolicy: what the topic fails to deliver goes to its dead-letter queue."""
    dead_letter = sam.plan.dead_letter(topic)
    if dead_letter is None:
        return {}
    return {"RedrivePolicy": {"deadLetterTargetArn": getatt(sam.id(dead_letter), "Arn")}}


def sam_bus_event(sam: SamTemplate, bus: Component) -> dict[str, Any]:
    """The SAM event of a function or state machine that a bus's rule (or a schedule) starts."""
    schedule = sam.plan.prop(bus, "schedule_expression")
    if schedule:
        return {
            "Type": "Schedule",
            "Properties": {"Schedule": schedule, "Enabled": True, **sam_dead_letter_config(sam, bus)},
        }
    return {
        "Type": "EventBridgeRule",
        "Properties": {
            "EventBusName": ref(sam.id(bus)),
            "Pattern": sam.plan.event_pattern(bus),
            **sam_dead_letter_config(sam, bus),
        },
    }


def cdk_dead_letter_arg(cdk: CdkStack, source: Component) -> str:
    """``, dead_letter_queue=<queue>`` for an event source or target whose failed deliveries are kept."""
    dead_letter = cdk.plan.dead_letter(source)
    return f", dead_letter_queue={var(dead_letter)}" if dead_letter is not None else ""


def queue_senders(sam: SamTemplate, queue: Component) -> list[tuple[str, dict[str, Any]]]:
    """(service principal, condition) of each AWS service that sends to the queue: what triggers it
    (SNS subscriptions, EventBridge rules, S3 notifications) and what sends it the deliveries that failed."""
    plan, logical = sam.plan, sam.id(queue)
    senders = []
    for link in plan.into(queue, "trigger", "dead_letter"):
        source = sam.id(link.source)
        if link.source.type == "sns_topic":
            senders.append(("sns.amazonaws.com", {"ArnEquals": {"aws:SourceArn": ref(source)}}))
        elif link.source.type == "eventbridge_bus" and link.kind == "trigger":
            senders.append(
                ("events.amazonaws.com", {"ArnEquals": {"aws:SourceArn": getatt(f"{source}To{logical}", "Arn")}})
            )
        elif link.source.type == "eventbridge_bus":  # the rules of the bus (or the schedule) that fail
            pattern = (
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*"
                if plan.prop(link.source, "schedule_expression")
                else f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/${{{source}}}/*"
            )
            senders.append(("events.amazonaws.com", {"ArnLike": {"aws:SourceArn": sub(pattern)}}))
        elif link.source.type == "s3_bucket":
            senders.append(
                (
                    "s3.amazonaws.com",
                    {
                        "ArnEquals": {"aws:SourceArn": bucket_arn_expression(link.source.id)},
                        "StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
                    },
                )
            )
    return senders


def sam_kinesis_stream(sam: SamTemplate, stream: Component) -> None:
    plan, logical = sam.plan, sam.id(stream)
    mode = plan.prop(stream, "mode")
    properties: dict[str, Any] = {
        "RetentionPeriodHours": plan.prop(stream, "retention_hours"),
        "StreamModeDetails": {"StreamMode": "ON_DEMAND" if mode == "on_demand" else "PROVISIONED"},
        "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
        "Tags": tag_list(stream),
    }
    if mode != "on_demand":
        properties["ShardCount"] = plan.prop(stream, "shards")
    sam.add(logical, "AWS::Kinesis::Stream", properties, stream)
    sam.output(f"{logical}Name", ref(logical), f"Stream name of {plan.label(stream)}", stream)


def sam_sns_topic(sam: SamTemplate, topic: Component) -> None:
    plan, logical = sam.plan, sam.id(topic)
    properties: dict[str, Any] = {"KmsMasterKeyId": "alias/aws/sns", "Tags": tag_list(topic)}
    if plan.prop(topic, "fifo"):
        properties.update({"FifoTopic": True, "TopicName": sub(f"${{AWS::StackName}}-{topic.id}.fifo")})
    sam.add(logical, "AWS::SNS::Topic", properties, topic)
    for link in plan.out(topic, "trigger"):
        if link.target.type == "sqs_queue":
            sam.add(
                f"{logical}To{sam.id(link.target)}",
                "AWS::SNS::Subscription",
                {
                    "TopicArn": ref(logical),
                    "Protocol": "sqs",
                    "Endpoint": getatt(sam.id(link.target), "Arn"),
                    "RawMessageDelivery": True,
                    **sam_redrive_policy(sam, topic),
                },
                topic,
            )
    sam.output(f"{logical}Arn", ref(logical), f"Topic ARN of {plan.label(topic)}", topic)


def sam_eventbridge_bus(sam: SamTemplate, bus: Component) -> None:
    plan, logical = sam.plan, sam.id(bus)
    schedule = plan.prop(bus, "schedule_expression")
    if not schedule:
        sam.add(
            logical,
            "AWS::Events::EventBus",
            {"Name": sub(f"${{AWS::StackName}}-{bus.id}"), "Tags": tag_list(bus)},
            bus,
        )
        sam.output(f"{logical}Name", ref(logical), f"Event bus of {plan.label(bus)}", bus)
    for link in plan.out(bus, "trigger"):
        if link.target.type in ("sqs_queue", "eventbridge_api_destination", "batch_job_queue"):
            name = f"{logical}To{sam.id(link.target)}"
            if link.target.type == "batch_job_queue":
                target = sam_job_target(sam, link)
            else:
                target = {"Id": "queue", "Arn": getatt(sam.id(link.target), "Arn")}
            if link.target.type == "eventbridge_api_destination":  # the rule calls it with a role of its own
                target.update({"Id": "api", "RoleArn": getatt(f"{name}Role", "Arn")})
                sam.add(f"{name}Role", "AWS::IAM::Role", api_destination_role(sam, link.target), bus)
            rule: dict[str, Any] = {
                "Description": f"{plan.label(bus)} to {plan.label(link.target)}",
                "State": "ENABLED",
                "Targets": [{**target, **sam_dead_letter_config(sam, bus)}],
            }
            if schedule:
                rule["ScheduleExpression"] = schedule
            else:
                rule.update({"EventBusName": ref(logical), "EventPattern": plan.event_pattern(bus)})
            sam.add(name, "AWS::Events::Rule", rule, bus)


def api_destination_role(sam: SamTemplate, destination: Component) -> dict[str, Any]:
    """The role a rule calls an API destination with: that destination only."""
    statement = {
        "Effect": "Allow",
        "Action": "events:InvokeApiDestination",
        "Resource": getatt(sam.id(destination), "Arn"),
    }
    return {
        "AssumeRolePolicyDocument": trust_policy("events.amazonaws.com"),
        "Policies": [{"PolicyName": "invoke", "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}],
    }


def cdk_sqs_queue(cdk: CdkStack, queue: Component) -> None:
    v = var(queue)
    args = [
        f"visibility_timeout=Duration.seconds({cdk.prop(queue, 'visibility_timeout_s')})",
        f"retention_period=Duration.seconds({cdk.prop(queue, 'message_retention_s')})",
        "encryption=sqs.QueueEncryption.SQS_MANAGED",
    ]
    if cdk.prop(queue, "fifo"):
        args.append("fifo=True")
    dead_letter = cdk.plan.dead_letter(queue)
    if dead_letter is not None:
        args.append(
            f"dead_letter_queue=sqs.DeadLetterQueue(queue={var(dead_letter)}, max_receive_count={cdk.prop(queue, 'max_receive_count')})"
        )
    cdk.emit(f"{v} = sqs.Queue(self, {py(cdk.id(queue))}, {', '.join(args)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(queue) + 'Url')}, value={v}.queue_url)")
    cdk.emit()


def cdk_kinesis_stream(cdk: CdkStack, stream: Component) -> None:
    v, on_demand = var(stream), cdk.prop(stream, "mode") == "on_demand"
    args = [
        f"stream_mode=kinesis.StreamMode.{'ON_DEMAND' if on_demand else 'PROVISIONED'}",
        f"retention_period=Duration.hours({cdk.prop(stream, 'retention_hours')})",
        "encryption=kinesis.StreamEncryption.MANAGED",
    ]
    if not on_demand:
        args.append(f"shard_count={cdk.prop(stream, 'shards')}")
    cdk.emit(f"{v} = kinesis.Stream(self, {py(cdk.id(stream))}, {', '.join(args)})")
    cdk.emit()


def cdk_sns_topic(cdk: CdkStack, topic: Component) -> None:
    v = var(topic)
    args = [f"master_key=kms.Alias.from_alias_name(self, {py(cdk.id(topic) + 'Key')}, 'alias/aws/sns')"]
    if cdk.prop(topic, "fifo"):
        args.append(f"fifo=True, topic_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(topic.id + '.fifo')}])")
    cdk.emit(f"{v} = sns.Topic(self, {py(cdk.id(topic))}, {', '.join(args)})")
    cdk.emit()


def cdk_eventbridge_bus(cdk: CdkStack, bus: Component) -> None:
    if cdk.prop(bus, "schedule_expression"):
        return  # a schedule is a rule on its targets, not a bus
    cdk.emit(
        f"{var(bus)} = events.EventBus(self, {py(cdk.id(bus))}, event_bus_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(bus.id)}]))"
    )
    cdk.emit()


def cdk_topic_wiring(cdk: CdkStack, topic: Component) -> None:
    """The topic's side of its triggers: SQS subscriptions (functions subscribe themselves)."""
    for link in cdk.plan.out(topic, "trigger"):
        if link.target.type == "sqs_queue":
            cdk.emit(
                f"{var(topic)}.add_subscription(subscriptions.SqsSubscription({var(link.target)}, raw_message_delivery=True{cdk_dead_letter_arg(cdk, topic)}))"
            )
            cdk.emit()


def cdk_bus_wiring(cdk: CdkStack, bus: Component) -> None:
    """One rule per target: on the bus with the design's pattern, or on a schedule."""
    plan, b = cdk.plan, var(bus)
    links = plan.out(bus, "trigger")
    for link in links:
        target, t = link.target, var(link.target)
        if target.type == "batch_job_queue":
            target_expr = cdk_job_target(cdk, link, cdk_dead_letter_arg(cdk, bus))
        else:
            target_class = {
                "lambda_function": "LambdaFunction",
                "sqs_queue": "SqsQueue",
                "step_functions": "SfnStateMachine",
                "eventbridge_api_destination": "ApiDestination",
            }[target.type]
            target_expr = f"targets.{target_class}({t}{cdk_dead_letter_arg(cdk, bus)})"
        rule = py(f"{cdk.id(bus)}To{cdk.id(target)}")
        schedule = cdk.prop(bus, "schedule_expression")
        if schedule:
            cdk.emit(
                f"events.Rule(self, {rule}, schedule=events.Schedule.expression({py(schedule)}), targets=[{target_expr}])"
            )
        else:
            cdk.emit(
                f"{b}_rule_{target.id} = events.Rule(self, {rule}, event_bus={b}, event_pattern=events.EventPattern(source=['placeholder']), targets=[{target_expr}])"
            )
            # The design's pattern may use any EventBridge syntax, so it replaces the placeholder whole.
            cdk.emit(
                f"{b}_rule_{target.id}.node.default_child.add_property_override('EventPattern', json.loads({py(json.dumps(plan.event_pattern(bus)))}))"
            )
    if links:
        cdk.emit()


def sam_queue_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"SQSSendMessagePolicy": {"QueueName": getatt(sam.id(link.target), "QueueName")}}]


def sam_stream_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"KinesisCrudPolicy": {"StreamName": ref(sam.id(link.target))}}]


def sam_topic_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"SNSPublishMessagePolicy": {"TopicName": getatt(sam.id(link.target), "TopicName")}}]


def sam_bus_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"EventBridgePutEventsPolicy": {"EventBusName": ref(sam.id(link.target))}}]


SERVICES = (
    Service(
        "sqs_queue",
        sam=sam_sqs_queue,
        cdk=cdk_sqs_queue,
        cdk_order=22,
        cdk_env=cdk_attribute("queue_url"),
        sam_policies=sam_queue_policies,
        cdk_grant=grant_call("grant_send_messages"),
    ),
    Service(
        "kinesis_stream",
        sam=sam_kinesis_stream,
        cdk=cdk_kinesis_stream,
        cdk_order=23,
        cdk_env=cdk_attribute("stream_name"),
        sam_policies=sam_stream_policies,
        cdk_grant=grant_call("grant_write"),
    ),
    Service(
        "sns_topic",
        sam=sam_sns_topic,
        cdk=cdk_sns_topic,
        cdk_order=24,
        cdk_env=cdk_attribute("topic_arn"),
        sam_policies=sam_topic_policies,
        cdk_grant=grant_call("grant_publish"),
        cdk_wiring=cdk_topic_wiring,
    ),
    Service(
        "eventbridge_bus",
        sam=sam_eventbridge_bus,
        cdk=cdk_eventbridge_bus,
        cdk_order=25,
        cdk_env=cdk_attribute("event_bus_name"),
        sam_policies=sam_bus_policies,
        cdk_grant=grant_call("grant_put_events_to"),
        cdk_wiring=cdk_bus_wiring,
    ),
)
