"""The portal's URLs plus /bench/hello/: used only by the benchmark's own gunicorn.

Production never routes here: only benchmarks.settings_bench points ROOT_URLCONF at it.
"""

from __future__ import annotations

from django.urls import path

from benchmarks.views import hello
from digitalmarkt.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *portal_urlpatterns]
