from commitments import services
from commitments.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Upsert units by code from a CSV file: code,name,parent,kind,sector,public_service,receives_dossiers."
    service = services.imports.units_import
