from rest_framework.permissions import IsAuthenticated


class ScopedResourcePermission(IsAuthenticated):
    pass
