from tests.storage.conftest import s3_server

__all__ = ["s3_server"]  # moto's server, for the installation's bucket
