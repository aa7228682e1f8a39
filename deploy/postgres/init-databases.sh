#!/bin/sh
# Creates one database per subgraph, owned by POSTGRES_USER, the first time the PostgreSQL
# container starts with an empty data directory (the postgres image runs the scripts of
# /docker-entrypoint-initdb.d/ then, and never again). The names are the subgraphs' defaults
# (USER_SERVICE_DB_NAME=userdb ...); each subgraph creates its tables itself at start.
set -eu
for database in userdb orderdb repositorydb paymentdb productdb notificationdb auditdb; do
    echo "creating database $database"
    psql --username "$POSTGRES_USER" --dbname postgres --set ON_ERROR_STOP=1 \
        --command "CREATE DATABASE \"$database\" OWNER \"$POSTGRES_USER\""
done
