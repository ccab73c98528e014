"""The demo's results have been reviewed and published, but for the last week's."""

from datetime import timedelta

from app.core.clock import local, local_today
from app.demo.reviews import seed_reviews
from app.extensions import db
from app.models import Inspection
from app.publication.public import posted_result


def test_older_results_are_published_and_the_last_week_waits(runner):
    result = runner.invoke(args=["seed", "demo", "--scale", "0.1"])
    assert result.exit_code == 0, result.output
    current = db.session.scalars(
        db.select(Inspection).where(Inspection.status == "submitted", ~Inspection.superseded)
    ).all()
    week_ago = local_today() - timedelta(days=7)
    older = [i for i in current if local(i.submitted_at).date() < week_ago]
    assert older and all(i.is_public and i.review_state == "approved" for i in older)
    assert all(i.reviewed_by_id != i.inspector_id for i in older)  # nobody reviews their own
    assert all(i.submitted_at < i.published_at for i in older)
    recent = [i for i in current if local(i.submitted_at).date() >= week_ago]
    assert all(i.review_state == "pending" and not i.is_public for i in recent)
    assert posted_result(older[-1].establishment_id) is not None
    assert seed_reviews() == {"reviews": 0}  # a second seed reviews nothing twice
