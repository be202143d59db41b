"""Which AWS services besides Lambda a text names: the measure behind the multi-service share.

The real exams ask about Lambda mostly inside designs ("API Gateway in front, SQS behind, which is
the most operationally efficient?"). An item is *multi-service* when its stem and choices together
name two or more services other than Lambda. Names are matched as the documentation and candidates
write them: full names, short names, acronyms (upper case only, so "sam" in a word never counts)
and IAM action prefixes (`sqs:SendMessage`). Features of one service count as that service
(RDS Proxy is RDS, a NAT gateway is VPC, Logs Insights is CloudWatch), so a topic cannot look
multi-service by naming two parts of one product.

Pure Python: no Django import.
"""

from __future__ import annotations

import re

# canonical name -> aliases (regular expressions, matched case-insensitively unless ACRONYMS)
SERVICES: dict[str, tuple[str, ...]] = {
    "API Gateway": (r"API Gateway", r"REST API", r"HTTP API", r"WebSocket API", r"execute-api"),
    "Step Functions": (r"Step Functions", r"state machines?", r"states:"),
    "SQS": (r"Simple Queue Service", r"sqs:"),
    "SNS": (r"Simple Notification Service", r"sns:"),
    "EventBridge": (r"EventBridge", r"CloudWatch Events", r"events:"),
    "DynamoDB": (r"DynamoDB", r"dynamodb:"),
    "S3": (r"Simple Storage Service", r"s3:", r"S3 buckets?"),
    "Kinesis": (r"Kinesis", r"kinesis:", r"Firehose"),
    "CloudFront": (r"CloudFront",),
    "RDS": (r"RDS", r"Aurora", r"rds-db:", r"Relational Database Service"),
    "CloudWatch": (r"CloudWatch(?! Events)", r"Logs Insights", r"logs:", r"Application Signals"),
    "X-Ray": (r"X-Ray", r"xray:"),
    "IAM": (r"Identity and Access Management", r"iam:"),
    "KMS": (r"Key Management Service", r"kms:", r"customer managed key"),
    "Secrets Manager": (r"Secrets Manager", r"secretsmanager:"),
    "Systems Manager": (r"Systems Manager", r"Parameter Store", r"ssm:"),
    "AppConfig": (r"AppConfig", r"appconfig:"),
    "VPC": (r"Virtual Private Cloud", r"NAT gateways?", r"VPC endpoints?", r"PrivateLink"),
    "EC2": (r"Elastic Compute Cloud", r"ec2:", r"Auto Scaling group"),
    "ECS": (r"Elastic Container Service", r"Fargate"),
    "EKS": (r"Elastic Kubernetes Service",),
    "ECR": (r"Elastic Container Registry",),
    "Elastic Load Balancing": (r"Application Load Balancer", r"Elastic Load Balancing"),
    "Cognito": (r"Cognito", r"user pools?", r"identity pools?"),
    "CloudFormation": (r"CloudFormation", r"cloudformation:"),
    "SAM": (r"Serverless Application Model", r"sam (local|deploy|sync|build|init)"),
    "CDK": (r"Cloud Development Kit",),
    "CodeDeploy": (r"CodeDeploy",),
    "CodePipeline": (r"CodePipeline",),
    "CodeBuild": (r"CodeBuild",),
    "CodeCommit": (r"CodeCommit",),
    "CodeArtifact": (r"CodeArtifact",),
    "Signer": (r"AWS Signer", r"signing profiles?", r"signer:"),
    "Elastic Beanstalk": (r"Elastic Beanstalk",),
    "MSK": (r"Managed Streaming for Apache Kafka",),
    "Amazon MQ": (r"Amazon MQ",),
    "DocumentDB": (r"DocumentDB",),
    "ElastiCache": (r"ElastiCache", r"MemoryDB"),
    "EFS": (r"Elastic File System",),
    "Route 53": (r"Route 53",),
    "WAF": (r"AWS WAF", r"web ACLs?"),
    "Shield": (r"AWS Shield", r"Shield Advanced"),
    "Certificate Manager": (r"Certificate Manager",),
    "CloudTrail": (r"CloudTrail",),
    "AWS Config": (r"AWS Config",),
    "Organizations": (r"AWS Organizations", r"service control polic(y|ies)"),
    "STS": (r"Security Token Service", r"sts:", r"AssumeRole"),
    "Glue": (r"AWS Glue",),
    "Athena": (r"Athena",),
    "Redshift": (r"Redshift",),
    "SES": (r"Simple Email Service",),
    "IoT Core": (r"IoT Core", r"AWS IoT"),
    "AppSync": (r"AppSync",),
    "Amplify": (r"Amplify",),
    "OpenSearch": (r"OpenSearch",),
    "Bedrock": (r"Bedrock",),
    "SageMaker": (r"SageMaker",),
    "Rekognition": (r"Rekognition",),
    "Textract": (r"Textract",),
    "Cost Explorer": (r"Cost Explorer", r"Compute Optimizer", r"Trusted Advisor"),
    "Service Quotas": (r"Service Quotas",),
    "Global Accelerator": (r"Global Accelerator",),
    "AWS Batch": (r"AWS Batch",),
    "App Runner": (r"App Runner",),
    "GuardDuty": (r"GuardDuty",),
    "Security Hub": (r"Security Hub",),
}

# Acronyms, matched in upper case only: "SQS" counts, "sqs" inside a word does not.
ACRONYMS: dict[str, tuple[str, ...]] = {
    "SQS": ("SQS",),
    "SNS": ("SNS",),
    "S3": ("S3",),
    "IAM": ("IAM",),
    "KMS": ("KMS",),
    "VPC": ("VPC", "VPCs"),
    "EC2": ("EC2",),
    "ECS": ("ECS",),
    "EKS": ("EKS",),
    "ECR": ("ECR",),
    "Elastic Load Balancing": ("ALB", "ELB"),
    "SAM": ("SAM",),
    "CDK": ("CDK",),
    "MSK": ("MSK",),
    "EFS": ("EFS",),
    "SES": ("SES",),
    "STS": ("STS",),
    "WAF": ("WAF",),
    "Certificate Manager": ("ACM",),
    "Systems Manager": ("SSM",),
}


def _bounded(alias: str) -> str:
    """A whole-word match; an IAM action prefix (`sqs:`) is followed by the action's name."""
    after = "" if alias.endswith(":") else r"(?![\w@])"
    return rf"(?<![\w@-])(?:{alias}){after}"


def _pattern(aliases: tuple[str, ...], flags: int) -> re.Pattern[str]:
    return re.compile("|".join(_bounded(a) for a in aliases), flags)


_MATCHERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    [(name, _pattern(aliases, re.I)) for name, aliases in SERVICES.items()]
    + [(name, _pattern(aliases, 0)) for name, aliases in ACRONYMS.items()]
)


def services_named(text: str) -> frozenset[str]:
    """The AWS services other than Lambda that `text` names, by their canonical names."""
    flat = " ".join(text.split())
    return frozenset(name for name, pattern in _MATCHERS if pattern.search(flat))


def is_multi_service(*texts: str, at_least: int = 2) -> bool:
    """Whether the texts together (a stem and its choices) name `at_least` services besides
    Lambda."""
    return len(services_named(" ".join(texts))) >= at_least
