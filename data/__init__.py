"""The only code that talks to the store: schema, migrations, queries, demo data, geometry."""
