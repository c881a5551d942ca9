"""Where the rules come from: the seed documents (by title and section) and AWS's documented service quotas.

A finding's ``reference`` is one of these strings, so a reader can check the rule against its source. Readers
see documents by their titles; which seed file holds each is noted here, for us.
"""

from __future__ import annotations

# seed 000_e1408a133632131c.txt
WHITEPAPER = "AWS whitepaper “Serverless Multi-Tier Architectures with Amazon API Gateway and AWS Lambda”"
# seed 002_0861be028c5a1bfb.txt
WHITEPAPER_NOTES = "Notes on the 2021 edition of the AWS serverless multi-tier whitepaper"
# seed 004_0a54690b582daf81.txt
PATTERNS = "“Serverless patterns in AWS” by Sage Huynh"
# seed 003_e439396191fb65be.txt
CRASH_COURSE = "“A Crash Course in Amazon Serverless Architecture (API Gateway, Lambda, CloudFront, S3)”"


def whitepaper(*sections: str) -> str:
    quoted = " and ".join(f"“{section}”" for section in sections)
    return f"{WHITEPAPER}, section{'s' if len(sections) > 1 else ''} {quoted}"


def patterns(section: str) -> str:
    return f"{PATTERNS}, {section}"


def crash_course(section: str) -> str:
    return f"{CRASH_COURSE}, section “{section}”"


def both(*references: str) -> str:
    return "; ".join(references)


LAMBDA_QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
LAMBDA_CONCURRENCY = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html"
LAMBDA_RESERVED = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html"
LAMBDA_ASYNC_FAILURES = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"
LAMBDA_STREAM_FAILURES = "https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html"
LAMBDA_SQS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"
LAMBDA_ESM = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html"
LAMBDA_VPC_INTERNET = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html"
LAMBDA_VPC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html"
APIGW_REST_QUOTAS = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html"
)
APIGW_HTTP_QUOTAS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html"
APIGW_CACHING = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html"
APIGW_CORS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html"
DYNAMODB_QUOTAS = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html"
S3_WEBSITE_ENDPOINTS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html"
CLOUDFRONT_OAC = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html"
)
EDGE_QUOTAS = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-lambda-at-edge"
)
EDGE_RESTRICTIONS = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html"
)
SQS_DEAD_LETTER = (
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"
)
RDS_IN_VPC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.html"
ELASTICACHE_IN_VPC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VPCs.html"
RDS_PROXY = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html"
