"""The base of telephony's tables: the kernel's, on a metadata of telephony's own."""

from kernel.database import Base as KernelBase
from kernel.database import package_metadata


class Base(KernelBase):
    """Base of telephony's tables; Alembic migrates them with the other packages'."""

    __abstract__ = True
    metadata = package_metadata()
