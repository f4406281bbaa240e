-- The cache counters start at 0; writers bump them with UPDATE (see worker/db/schema.ts).
INSERT INTO `revisions` (`name`, `value`) VALUES ('catalog', 0), ('policies', 0);
