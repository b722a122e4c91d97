-- Prefect keeps its own database beside efile's.
CREATE DATABASE prefect OWNER efile;
