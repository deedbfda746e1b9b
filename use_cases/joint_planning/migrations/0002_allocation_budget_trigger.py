"""On PostgreSQL, the database itself keeps each ballot within its budget: a constraint trigger
on the allocations, checked at commit (deferred, so that a transaction may move points between
actions in any order), refuses any write that leaves a ballot's points summing to more than its
budget, even a write that bypasses the services. It locks the ballot's row first, so that two
transactions adding points to one ballot are checked one after the other (FOR NO KEY UPDATE:
it waits for another such lock, not for the key-share lock an allocation's foreign key takes on
the ballot, so two such transactions do not deadlock).

SQLite has no such triggers: there the services' lock and the ballot's check constraint keep the
budget (SQLite serialises writes anyway)."""

from django.db import migrations

TRIGGER = "joint_planning_allocation_within_budget"

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION joint_planning_allocation_within_budget() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        ballot_budget integer;
        given bigint;
    BEGIN
        SELECT budget INTO ballot_budget
            FROM joint_planning_ballot WHERE id = NEW.ballot_id FOR NO KEY UPDATE;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        SELECT COALESCE(SUM(points), 0) INTO given
            FROM joint_planning_allocation WHERE ballot_id = NEW.ballot_id;
        IF given > ballot_budget THEN
            RAISE EXCEPTION
                'joint_planning_allocation_within_budget: ballot % gives % points, budget %',
                NEW.ballot_id, given, ballot_budget
                USING ERRCODE = 'check_violation',
                      CONSTRAINT = 'joint_planning_allocation_within_budget';
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    f"""
    CREATE CONSTRAINT TRIGGER {TRIGGER}
        AFTER INSERT OR UPDATE ON joint_planning_allocation
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()
    """,
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON joint_planning_allocation",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            # No parameters: the SQL is run as it is (its `%` are PL/pgSQL's placeholders).
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("joint_planning", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
