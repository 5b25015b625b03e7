SELECT `quarantine`.`source_file`, `quarantine`.`row_number`, `quarantine`.`reason`, `quarantine`.`raw`, `quarantine`.`quarantined_at` 
FROM `quarantine` ORDER BY `quarantine`.`source_file`, `quarantine`.`row_number`
