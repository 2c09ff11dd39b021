"""Delete conversations idle for more than N days (`make forget`; schedule it daily).

Health questions are sensitive, so conversations are not kept forever. N is --days, else
CONVERSATION_RETENTION_DAYS, else 30. The database is DATABASE_URL, else var/conversations.db.
"""
import argparse

from scripts.staff_agent import quiet_logs

quiet_logs()
from stores.database import forget_conversations_idle_for, retention_days  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=float, default=None, help="retention in days (default: %(default)s)")
    args = parser.parse_args()
    days = retention_days() if args.days is None else args.days
    if days < 0:
        parser.error("--days must be 0 or more")
    deleted = forget_conversations_idle_for(days)
    print(f"Deleted {deleted} conversation(s) idle for more than {days:g} days.")


if __name__ == "__main__":
    main()
