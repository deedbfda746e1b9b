import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who signed up and verified their email address."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create:
            EmailAddress.objects.create(
                user=self,
                email=self.email,
                primary=True,
                verified=True if extracted is None else extracted,
            )
