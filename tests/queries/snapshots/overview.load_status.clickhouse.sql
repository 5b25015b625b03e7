SELECT max(`load_log`.`finished_at`) AS `last_load`, count(*) AS `files`, count(CASE WHEN (`load_log`.`status` = :status_1) THEN :param_1 END) AS `failed_files`, coalesce(sum(`load_log`.`rows_loaded`), :coalesce_1) AS `rows_loaded`, (SELECT count(*) AS `count_1` 
FROM `quarantine`) AS `quarantined` 
FROM `load_log` 
WHERE `load_log`.`load_id` IS NOT NULL
