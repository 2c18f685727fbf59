"""Citizens' satisfaction surveys (khảo sát sự hài lòng): the questionnaire, the public
survey of each receiving desk, and the figures its valid answers make (4.1, 6.1, 6.2)."""
