SELECT CASE WHEN (`capability_days`.`campaign_id` = :campaign_id_1) THEN :param_1 WHEN (`capability_days`.`campaign_id` IS NULL) THEN :param_2 ELSE :param_3 END AS `population`, `capability_days`.`capability`, sum(`capability_days`.`calls`) AS `calls`, sum(`capability_days`.`cot_calls`) AS `cot_calls` 
FROM `capability_days` 
WHERE `capability_days`.`run_id` = :run_id_1 AND `capability_days`.`day` >= :day_1 AND `capability_days`.`day` < :day_2 AND `capability_days`.`model` = :model_1 GROUP BY `population`, `capability_days`.`capability` ORDER BY `population`, `capability_days`.`capability`
