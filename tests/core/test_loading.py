"""core.loading.PlainLoading: instances made from rows by filling their ``__dict__`` are the
very instances Django's own ``Model.from_db`` makes, and anything it cannot make the same way
goes through Django's path."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init
from django.test.utils import isolate_apps

from complaints.models import Enquiry
from core.loading import PlainLoading, plain_attnames
from tests import factories

PROJECT_APPS = {"complaints", "council", "core", "protocols", "relationships"}
PROJECT_MODELS = [
    model for model in apps.get_models() if model._meta.app_config.name in PROJECT_APPS
]


def django_from_db(model, field_names, values):
    return models.Model.from_db.__func__(model, "default", field_names, values)


def test_every_model_of_the_project_loads_plainly_but_those_with_a_file():
    assert len(PROJECT_MODELS) > 30
    for model in PROJECT_MODELS:
        assert issubclass(model, PlainLoading), f"{model.__name__} does not mix in PlainLoading"
    # A file field's descriptor wraps its value as it is set: Django's own path.
    assert {model.__name__ for model in PROJECT_MODELS if plain_attnames(model) is None} == {
        "ComplaintEvidence"
    }


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model.__name__)
def test_an_instance_is_the_one_djangos_from_db_makes(model):
    field_names = [field.attname for field in model._meta.concrete_fields]
    # A distinct object for every column: a value given to the wrong field shows.
    values = tuple(object() for _ in field_names)

    ours = model.from_db("default", field_names, values)
    djangos = django_from_db(model, field_names, values)

    assert type(ours) is model
    assert list(ours.__dict__) == list(djangos.__dict__)
    assert {k: v for k, v in ours.__dict__.items() if k != "_state"} == {
        k: v for k, v in djangos.__dict__.items() if k != "_state"
    }
    assert (ours._state.adding, ours._state.db) == (False, "default")
    assert (djangos._state.adding, djangos._state.db) == (False, "default")


def test_a_loaded_enquiry_reads_its_relations_and_saves_as_an_update(db):
    council = factories.CouncilFactory()
    casework = factories.person("casework", council)
    enquiry = factories.enquiry(council, by=casework)

    loaded = Enquiry.objects.get(pk=enquiry.pk)

    assert loaded.member == enquiry.member
    assert loaded.council.slug == council.slug
    loaded.subject = "Changed"
    loaded.save(update_fields=["subject"])
    assert Enquiry.objects.count() == 1
    assert Enquiry.objects.get(pk=enquiry.pk).subject == "Changed"
    loaded.refresh_from_db()
    assert loaded.subject == "Changed"


def test_a_row_with_deferred_fields_goes_through_djangos_path(db, django_assert_num_queries):
    council = factories.CouncilFactory()
    enquiry = factories.enquiry(council, by=factories.person("casework", council))

    loaded = Enquiry.objects.only("id", "reference").get(pk=enquiry.pk)

    assert loaded.get_deferred_fields() >= {"subject", "description"}
    with django_assert_num_queries(1):
        assert loaded.subject == enquiry.subject


def test_a_post_init_receiver_is_called_for_every_row_loaded(db):
    council = factories.CouncilFactory()
    casework = factories.person("casework", council)
    made = {factories.enquiry(council, by=casework).pk for _ in range(3)}
    list(Enquiry.objects.all())  # loaded the short way first: a receiver connected later counts
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Enquiry)
    try:
        loaded = list(Enquiry.objects.all())
    finally:
        post_init.disconnect(receiver, sender=Enquiry)

    assert {enquiry.pk for enquiry in loaded} == made
    assert sorted(seen) == sorted(made)
    seen.clear()
    list(Enquiry.objects.all())
    assert seen == []


@isolate_apps("core")
def test_a_model_with_its_own_init_or_a_file_field_is_not_loaded_plainly():
    class Plain(PlainLoading, models.Model):
        name = models.CharField(max_length=10)
        parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    class OwnInit(PlainLoading, models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loaded_name = self.name

    class WithFile(PlainLoading, models.Model):
        upload = models.FileField()

        class Meta:
            app_label = "core"

    assert plain_attnames(Plain) == ("id", "name", "parent_id")
    assert plain_attnames(OwnInit) is None
    assert plain_attnames(WithFile) is None
    loaded = OwnInit.from_db("default", ["id", "name"], (1, "x"))
    assert loaded.loaded_name == "x"
    assert WithFile.from_db("default", ["id", "upload"], (1, "a.pdf")).upload.name == "a.pdf"
