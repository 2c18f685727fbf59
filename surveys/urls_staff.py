"""Signed in: directors' results, moderation and publishing; staff's paper entry."""

urlpatterns: list = []
