#!/bin/sh
# Entrypoint of the single-user image (docker/Dockerfile): copy the labs the student does
# not have yet into ~/labs (first start, or new labs in a newer image; an existing file is
# never overwritten, so their work survives), then start the server given as arguments.
python -m lablib.classroom init-home \
    || echo "vmotion-lab: could not copy the labs into ~/labs; the server starts anyway" >&2
exec "$@"
