from django.urls import reverse

from tests import factories


def test_admin_lists_dossiers_read_only(client, imported):
    client.force_login(factories.superuser())
    html = client.get(reverse("admin:dossiers_dossier_changelist")).content.decode()
    assert "HS-2" in html
    assert client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
