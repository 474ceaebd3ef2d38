"""Bearer tokens with roles: issuing, checking, revoking, and the guard on every /api/v1 route."""
