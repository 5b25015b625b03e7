SELECT `key_scores`.`api_key_id`, `key_scores`.`calls`, `key_scores`.`extraction_calls`, `key_scores`.`other_calls`, `key_scores`.`component_score`, `key_scores`.`score` 
FROM `key_scores` 
WHERE `key_scores`.`run_id` = :run_id_1 AND `key_scores`.`api_key_id` = :api_key_id_1
