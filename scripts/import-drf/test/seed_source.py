# Fills a source database of the original DRF service the way the service itself would: each user through
# Django's create_user (so the password hash is Django's own, made by the hasher the spec names), then the
# profile and friendship rows through the models. Reads the spec as JSON on stdin:
#   {"users": [{"username", "email", "password" (null: unusable), "hasher", "is_active", "first_name",
#               "last_name", "bio", "avatar_url"}], "friendships": [{"requester", "addressee", "status"}]}
# Prints {"ids": {username: id}} as JSON. Run it with drf-original.sh python (Django set up on DRF_DB).
import json
import sys

import django
from django.conf import settings

HASHERS = {
    "pbkdf2_sha256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "pbkdf2_sha1": "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "argon2": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "bcrypt_sha256": "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
}

django.setup()
from django.contrib.auth.models import User  # noqa: E402
from core.models import Friendship, Profile  # noqa: E402

spec = json.load(sys.stdin)
ids = {}
for u in spec.get("users", []):
    # create_user hashes with the first of PASSWORD_HASHERS: put the wanted one first for this user.
    hasher = HASHERS[u.get("hasher", "pbkdf2_sha256")]
    settings.PASSWORD_HASHERS = [hasher] + [h for h in HASHERS.values() if h != hasher]
    user = User.objects.create_user(
        u["username"], u.get("email", ""), u.get("password"),
        first_name=u.get("first_name", ""), last_name=u.get("last_name", ""), is_active=u.get("is_active", True),
    )
    Profile.objects.create(user=user, bio=u.get("bio", ""), avatar_url=u.get("avatar_url", ""))
    ids[u["username"]] = user.id

def user_id(username):
    """A user of this spec, or one seeded before."""
    return ids[username] if username in ids else User.objects.get(username=username).id


for f in spec.get("friendships", []):
    Friendship.objects.create(
        requester_id=user_id(f["requester"]), addressee_id=user_id(f["addressee"]), status=f.get("status", "requested"))
print(json.dumps({"ids": ids}))
