-- Creates the five service databases (docker-compose runs this on the first start of PostgreSQL;
-- without Docker, infra/dist/postgres.js does the same from the *_DATABASE_URL variables).
CREATE DATABASE influenceflow_discovery;
CREATE DATABASE influenceflow_campaign;
CREATE DATABASE influenceflow_contracts;
CREATE DATABASE influenceflow_payments;
CREATE DATABASE influenceflow_analytics;
