from commitments import services
from commitments.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Upsert figures from CSV or XLSX: year,quarter,unit,element,category,value."
    service = services.imports.figures_import
