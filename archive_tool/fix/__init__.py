"""What the tool changes in the archive on request, each change in the undo log: the renames of
``lint --fix`` (:mod:`.renames`), the footers of ``footer fix`` (:mod:`.footer`), and the
commands lint's fixes tell people to run (:mod:`.commands`)."""
from .footer import FooterFixed, FooterFixResult, fix_footer
from .renames import Applied, Rename, apply_renames, moves, plan_renames

__all__ = ["Applied", "FooterFixResult", "FooterFixed", "Rename", "apply_renames", "fix_footer",
           "moves", "plan_renames"]
