"""Labels' adapters: jobs, the brand's templates, the words every sticker carries, and what a
job's run needs (the renderer and its fonts load there, on first use)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.catalog.model import Brand
    from chalicelib.labels.carton_labels import CartonTexts
    from chalicelib.labels.job_repository import LabelJobRepository
    from chalicelib.labels.service import RunContext
    from chalicelib.labels.sheets import SheetTexts
    from chalicelib.labels.template_repository import LabelTemplateRepository


@once_per_container
def label_jobs() -> LabelJobRepository:
    from chalicelib.labels.job_repository import LabelJobRepository

    return LabelJobRepository()


def label_templates() -> LabelTemplateRepository:
    from chalicelib.labels.template_repository import LabelTemplateRepository

    return LabelTemplateRepository(get_settings().brand_id)


def label_texts() -> SheetTexts:
    """The words every sticker of the brand carries: its short name and the instruction."""
    return _texts_of(catalog_wiring.brand_repository().get(get_settings().brand_id))


def label_preview_inputs(count: int) -> tuple[SheetTexts, list[str]]:
    """A preview's words (as :func:`label_texts`) and ``count`` sample serials of the brand's
    scheme from 1, as long as the ones it prints; one read of the brand."""
    from chalicelib.catalog.serials import generated_serial

    brand = catalog_wiring.brand_repository().get(get_settings().brand_id)
    samples = [generated_serial(brand.serial_prefix, n) for n in range(1, count + 1)]
    return _texts_of(brand), samples


def _texts_of(brand: Brand) -> SheetTexts:
    from chalicelib.core.i18n import LANGUAGES, text
    from chalicelib.labels.sheets import SheetTexts

    return SheetTexts(
        brand=brand.theme.short_name or brand.name,
        instruction={lang: text("label_instruction", lang) for lang in LANGUAGES},
    )


def label_job_context(remaining_seconds: Callable[[], float] | None = None) -> RunContext:
    """What a label job's run needs (the renderer and its fonts load here, on first use)."""
    from datetime import UTC, datetime

    from chalicelib.labels.carton_labels import render_carton_labels
    from chalicelib.labels.qr_pool import available_cpus
    from chalicelib.labels.service import RunContext
    from chalicelib.labels.sheets import render_sheets

    return RunContext(
        jobs=label_jobs(),
        units=catalog_wiring.unit_repository(),
        storage=platform_wiring.storage(),
        links=platform_wiring.unit_links(),
        texts=label_texts(),
        render=render_sheets,
        clock=lambda: datetime.now(UTC),
        workers=get_settings().label_workers or available_cpus(),
        remaining_seconds=remaining_seconds,
        cartons=catalog_wiring.carton_repository(),
        carton_texts=carton_label_texts(),
        render_cartons=render_carton_labels,
    )


def carton_label_texts() -> CartonTexts:
    """The words of a carton label, each Vietnamese / English, and the brand's name."""
    from chalicelib.core.i18n import text
    from chalicelib.labels.carton_labels import CartonTexts

    brand = catalog_wiring.brand_repository().get(get_settings().brand_id)

    def both(key: str) -> str:
        return f"{text(key, 'vi')} / {text(key, 'en')}"

    return CartonTexts(
        brand=brand.theme.short_name or brand.name,
        carton=both("carton_label_carton"),
        quantity=both("carton_label_quantity"),
        models=both("carton_label_models"),
        more=f"{text('carton_label_more', 'vi')} / {text('carton_label_more', 'en')}",
    )
