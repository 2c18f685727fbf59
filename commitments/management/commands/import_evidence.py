from commitments import services
from commitments.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Add evidence records from CSV or XLSX: date,unit,kind,subject_unit,reference,title."
    service = services.imports.evidence_import
