"""Public, no login: the survey of a receiving desk and its published results."""

urlpatterns: list = []
