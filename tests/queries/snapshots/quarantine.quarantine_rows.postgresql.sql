SELECT quarantine.source_file, quarantine.row_number, quarantine.table_name, quarantine.reason, quarantine.load_id, quarantine.quarantined_at 
FROM quarantine ORDER BY quarantine.source_file, quarantine.row_number
