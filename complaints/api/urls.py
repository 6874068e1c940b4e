"""``/api/v1/enquiries/`` (API.md, Enquiries), included under ``api/v1/`` by config/urls.py.
URL names are un-namespaced: ``enquiry-list``, ``enquiry-detail``, ``enquiry-acknowledge``,
``enquiry-holding-response``, ``enquiry-respond``, ``enquiry-assign``, ``enquiry-escalate``,
``enquiry-close``, ``enquiry-timeline``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("enquiries", views.EnquiryViewSet, basename="enquiry")

urlpatterns = router.urls
