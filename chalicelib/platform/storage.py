"""The uploads bucket (S3): label sheets written by jobs, serial lists uploaded for them, and
presigned links to download a file without the API in the way (a 50 MB PDF never passes
through Lambda's 6 MB response)."""

from __future__ import annotations

import functools
from typing import IO, Any


class S3Storage:
    """:class:`~chalicelib.labels.service.Storage` on one bucket. The client is made on first
    use; ``path_style`` (an emulator's IP-address endpoint needs it) addresses the bucket by
    path."""

    def __init__(self, bucket: str, client: Any | None = None, *, path_style: bool = False) -> None:
        self._bucket = bucket
        self._client = client
        self._path_style = path_style

    @functools.cached_property
    def _s3(self) -> Any:
        if self._client is not None:
            return self._client
        import boto3
        from botocore.config import Config

        style = "path" if self._path_style else "auto"
        return boto3.client(
            "s3", config=Config(signature_version="s3v4", s3={"addressing_style": style})
        )

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    def start_upload(self, key: str, *, content_type: str, filename: str) -> str:
        """A multipart upload, for a file written over several runs; returns its id. A PDF (a
        label sheet) opens in the browser's viewer, ready to print; anything else downloads."""
        disposition = "inline" if content_type == "application/pdf" else "attachment"
        answer = self._s3.create_multipart_upload(
            Bucket=self._bucket,
            Key=key,
            ContentType=content_type,
            ContentDisposition=f'{disposition}; filename="{filename}"',
        )
        return str(answer["UploadId"])

    def upload_part(self, key: str, upload_id: str, number: int, file: IO[bytes]) -> str:
        """Part ``number`` (1-based) from an open file (all but the last at least 5 MiB);
        returns its ETag."""
        file.seek(0)
        answer = self._s3.upload_part(
            Bucket=self._bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=file
        )
        return str(answer["ETag"])

    def complete_upload(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        self._s3.complete_multipart_upload(
            Bucket=self._bucket,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in parts]},
        )

    def abort_upload(self, key: str, upload_id: str) -> None:
        self._s3.abort_multipart_upload(Bucket=self._bucket, Key=key, UploadId=upload_id)

    def read_text(self, key: str) -> str:
        body = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"]
        return str(body.read().decode("utf-8"))

    def download_url(self, key: str, *, expires_seconds: int) -> str:
        return str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=expires_seconds,
            )
        )

    def upload_url(self, key: str, *, content_type: str, expires_seconds: int) -> str:
        """A presigned PUT: the browser sends a file straight to the bucket (never through
        Lambda's 6 MB request). The PUT must carry this ``Content-Type``; the size is checked
        after the upload (:meth:`size_of`), before anything reads the file."""
        return str(
            self._s3.generate_presigned_url(
                "put_object",
                Params={"Bucket": self._bucket, "Key": key, "ContentType": content_type},
                ExpiresIn=expires_seconds,
            )
        )

    def size_of(self, key: str) -> int | None:
        """The object's size in bytes, ``None`` when nothing was uploaded there."""
        from botocore.exceptions import ClientError

        try:
            answer = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return int(answer["ContentLength"])

    def read_bytes(self, key: str) -> bytes:
        return bytes(self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read())

    def download_to(self, key: str, file: IO[bytes]) -> None:
        """The object streamed into an open file (a large upload never sits in memory whole)."""
        self._s3.download_fileobj(self._bucket, key, file)

    def upload_from(self, key: str, file: IO[bytes], *, content_type: str, filename: str) -> None:
        """An open file streamed to the bucket (multipart above 8 MiB, by boto3's transfer)."""
        file.seek(0)
        self._s3.upload_fileobj(
            file,
            self._bucket,
            key,
            ExtraArgs={
                "ContentType": content_type,
                "ContentDisposition": f'attachment; filename="{filename}"',
            },
        )

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)
