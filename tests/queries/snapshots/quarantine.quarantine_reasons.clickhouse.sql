SELECT `quarantine`.`reason`, count(*) AS `rows`, count(distinct(`quarantine`.`source_file`)) AS `files` 
FROM `quarantine` GROUP BY `quarantine`.`reason` ORDER BY count(*) DESC, `quarantine`.`reason`
