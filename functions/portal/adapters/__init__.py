"""Adapters to AWS services other than the table: e-mail (SES), the reports bucket (S3)."""
