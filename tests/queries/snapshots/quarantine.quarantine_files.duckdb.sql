SELECT quarantine.source_file, quarantine.table_name, count(*) AS rows, max(quarantine.quarantined_at) AS quarantined_at 
FROM quarantine GROUP BY quarantine.source_file, quarantine.table_name ORDER BY count(*) DESC, quarantine.source_file
