# ruff: noqa: E501  (data table: long official names)
"""Reference lists for the synthetic demo mutual: Moroccan names in both scripts, employers, cities."""

from __future__ import annotations

# (Latin, Arabic)
MALE_FIRST_NAMES: list[tuple[str, str]] = [
    ("Mohammed", "محمد"), ("Mohamed", "محمد"), ("Ahmed", "أحمد"), ("Youssef", "يوسف"), ("Omar", "عمر"),
    ("Ali", "علي"), ("Hassan", "حسن"), ("Hussein", "حسين"), ("Abdellah", "عبد الله"), ("Abderrahim", "عبد الرحيم"),
    ("Abdelaziz", "عبد العزيز"), ("Abdelkader", "عبد القادر"), ("Abdelilah", "عبد الإله"), ("Abdelhak", "عبد الحق"),
    ("Abdellatif", "عبد اللطيف"), ("Abdeslam", "عبد السلام"), ("Abdelmajid", "عبد المجيد"),
    ("Abderrazak", "عبد الرزاق"), ("Abdelghani", "عبد الغني"), ("Abdelouahed", "عبد الواحد"),
    ("Abdelfattah", "عبد الفتاح"), ("Adil", "عادل"), ("Adnane", "عدنان"), ("Amine", "أمين"), ("Anas", "أنس"),
    ("Ayoub", "أيوب"), ("Ayman", "أيمن"), ("Aziz", "عزيز"), ("Azzedine", "عز الدين"), ("Badr", "بدر"),
    ("Bilal", "بلال"), ("Brahim", "إبراهيم"), ("Chakib", "شكيب"), ("Driss", "إدريس"), ("El Mehdi", "المهدي"),
    ("Fayçal", "فيصل"), ("Fouad", "فؤاد"), ("Ghali", "غالي"), ("Hakim", "حكيم"), ("Hamid", "حميد"),
    ("Hamza", "حمزة"), ("Haytam", "هيثم"), ("Hicham", "هشام"), ("Houssam", "حسام"), ("Ilyas", "إلياس"),
    ("Imad", "عماد"), ("Ismail", "إسماعيل"), ("Jalal", "جلال"), ("Jamal", "جمال"), ("Jawad", "جواد"),
    ("Kamal", "كمال"), ("Karim", "كريم"), ("Khalid", "خالد"), ("Lahcen", "لحسن"), ("Larbi", "العربي"),
    ("Mahmoud", "محمود"), ("Marouane", "مروان"), ("Mouad", "معاذ"), ("Mounir", "منير"), ("Mourad", "مراد"),
    ("Mustapha", "مصطفى"), ("Nabil", "نبيل"), ("Najib", "نجيب"), ("Nizar", "نزار"), ("Noureddine", "نور الدين"),
    ("Othmane", "عثمان"), ("Oussama", "أسامة"), ("Rachid", "رشيد"), ("Redouane", "رضوان"), ("Rida", "رضا"),
    ("Saad", "سعد"), ("Said", "سعيد"), ("Salah", "صلاح"), ("Sami", "سامي"), ("Samir", "سمير"),
    ("Soufiane", "سفيان"), ("Taoufik", "توفيق"), ("Tarik", "طارق"), ("Wail", "وائل"), ("Walid", "وليد"),
    ("Yahya", "يحيى"), ("Yassine", "ياسين"), ("Younes", "يونس"), ("Zakaria", "زكرياء"), ("Zouhair", "زهير"),
]  # fmt: skip

FEMALE_FIRST_NAMES: list[tuple[str, str]] = [
    ("Fatima", "فاطمة"), ("Fatima Zahra", "فاطمة الزهراء"), ("Khadija", "خديجة"), ("Aicha", "عائشة"),
    ("Meryem", "مريم"), ("Zineb", "زينب"), ("Naima", "نعيمة"), ("Saida", "سعيدة"), ("Latifa", "لطيفة"),
    ("Malika", "مليكة"), ("Rachida", "رشيدة"), ("Hafsa", "حفصة"), ("Hanane", "حنان"), ("Houda", "هدى"),
    ("Ikram", "إكرام"), ("Imane", "إيمان"), ("Asmae", "أسماء"), ("Amina", "أمينة"), ("Bouchra", "بشرى"),
    ("Btissam", "ابتسام"), ("Chaimae", "شيماء"), ("Dounia", "دنيا"), ("Fadoua", "فدوى"), ("Ghizlane", "غزلان"),
    ("Hajar", "هاجر"), ("Hasna", "حسناء"), ("Hind", "هند"), ("Ilham", "إلهام"), ("Jamila", "جميلة"),
    ("Kawtar", "كوثر"), ("Karima", "كريمة"), ("Laila", "ليلى"), ("Loubna", "لبنى"), ("Nadia", "نادية"),
    ("Najat", "نجاة"), ("Nawal", "نوال"), ("Nezha", "نزهة"), ("Nisrine", "نسرين"), ("Nora", "نورة"),
    ("Oumaima", "أميمة"), ("Rajae", "رجاء"), ("Rim", "ريم"), ("Safae", "صفاء"), ("Salma", "سلمى"),
    ("Samira", "سميرة"), ("Sanae", "سناء"), ("Siham", "سهام"), ("Soukaina", "سكينة"), ("Souad", "سعاد"),
    ("Wafae", "وفاء"), ("Widad", "وداد"), ("Yasmine", "ياسمين"), ("Yousra", "يسرى"), ("Zahra", "زهرة"),
    ("Zoubida", "زبيدة"), ("Halima", "حليمة"), ("Habiba", "حبيبة"), ("Hayat", "حياة"), ("Kenza", "كنزة"),
    ("Lamia", "لمياء"), ("Maha", "مها"), ("Manal", "منال"), ("Mouna", "منى"), ("Nassima", "نسيمة"),
    ("Rabia", "ربيعة"), ("Sara", "سارة"), ("Touria", "ثريا"), ("Wiam", "وئام"), ("Yamna", "يمنى"),
    ("Zakia", "زكية"), ("Aya", "آية"), ("Chama", "شامة"), ("Hiba", "هبة"), ("Lina", "لينا"), ("Malak", "ملاك"),
    ("Nouhaila", "نهيلة"), ("Rania", "رانية"), ("Salima", "سليمة"), ("Fouzia", "فوزية"), ("Mina", "مينة"),
]  # fmt: skip

FAMILY_NAMES: list[tuple[str, str]] = [
    ("Alaoui", "العلوي"), ("Amrani", "العمراني"), ("Idrissi", "الإدريسي"), ("Bennani", "بناني"),
    ("Benjelloun", "بنجلون"), ("Tazi", "التازي"), ("Fassi", "الفاسي"), ("Berrada", "برادة"),
    ("Chraibi", "الشرايبي"), ("Sqalli", "الصقلي"), ("Lahlou", "لحلو"), ("Benkirane", "بنكيران"),
    ("Kettani", "الكتاني"), ("Sefrioui", "الصفريوي"), ("Tahiri", "الطاهري"), ("Ouazzani", "الوزاني"),
    ("Hassani", "الحسني"), ("Filali", "الفيلالي"), ("Mansouri", "المنصوري"), ("Ziani", "الزياني"),
    ("Benali", "بنعلي"), ("Benmoussa", "بنموسى"), ("Bouazza", "بوعزة"), ("Boukhari", "البخاري"),
    ("Cherkaoui", "الشرقاوي"), ("Chaoui", "الشاوي"), ("Doukkali", "الدكالي"), ("Slaoui", "السلاوي"),
    ("Rifi", "الريفي"), ("Soussi", "السوسي"), ("Marrakchi", "المراكشي"), ("Meknassi", "المكناسي"),
    ("Tanjaoui", "الطنجاوي"), ("Sahraoui", "الصحراوي"), ("Haddad", "الحداد"), ("Najjar", "النجار"),
    ("Bakkali", "البقالي"), ("El Khatib", "الخطيب"), ("Naciri", "الناصري"), ("Zerouali", "الزروالي"),
    ("Kabbaj", "القباج"), ("Guessous", "كسوس"), ("Benslimane", "بنسليمان"), ("Mernissi", "المرنيسي"),
    ("Tounsi", "التونسي"), ("Jamai", "الجامعي"), ("Benabdellah", "بنعبد الله"), ("Benchekroun", "بنشقرون"),
    ("Bensaid", "بنسعيد"), ("Benyahia", "بنيحيى"), ("Bouzidi", "البوزيدي"), ("Daoudi", "الداودي"),
    ("Rahmani", "الرحماني"), ("Ghazi", "الغازي"), ("Hamdaoui", "الحمداوي"), ("Jabri", "الجابري"),
    ("Kadiri", "القادري"), ("Karimi", "الكريمي"), ("Khalfi", "الخلفي"), ("Lazrak", "لزرق"),
    ("Naji", "ناجي"), ("Saadi", "السعدي"), ("Salhi", "الصالحي"), ("Semlali", "السملالي"),
    ("Talbi", "الطالبي"), ("Yacoubi", "اليعقوبي"), ("Azzouzi", "العزوزي"), ("Belhaj", "بلحاج"),
    ("Chafik", "شفيق"), ("Dahbi", "الذهبي"), ("El Alami", "العلمي"), ("Fikri", "فكري"), ("Habibi", "الحبيبي"),
    ("Hajji", "الحجي"), ("Hilali", "الهلالي"), ("Ismaili", "الإسماعيلي"), ("Jaouhari", "الجوهري"),
    ("Kamali", "الكمالي"), ("Laaroussi", "العروسي"), ("Maaroufi", "المعروفي"), ("Moussaoui", "الموساوي"),
    ("Nouri", "النوري"), ("Ouardi", "الوردي"), ("Rahmouni", "الرحموني"), ("Sabri", "صبري"),
    ("Tijani", "التجاني"), ("Yassini", "الياسيني"), ("Zemmouri", "الزموري"), ("Abbadi", "العبادي"),
    ("Bennis", "بنيس"), ("Ait Taleb", "آيت الطالب"), ("Ait Ali", "آيت علي"), ("Ouchen", "أوشن"),
    ("Akhannouch", "أخنوش"), ("Benhima", "بنهيمة"), ("Lyoussi", "اليوسي"), ("Raji", "الراجي"),
    ("Belkadi", "بلقاضي"), ("Chami", "الشامي"), ("Lamrini", "اللمريني"), ("Ouahbi", "وهبي"),
]  # fmt: skip

# (code, French, Arabic, weight in the staff)
ADMINISTRATIONS: list[tuple[str, str, str, int]] = [
    ("MEN", "Ministère de l'Éducation nationale, du Préscolaire et des Sports", "وزارة التربية الوطنية والتعليم الأولي والرياضة", 30),
    ("MS", "Ministère de la Santé et de la Protection sociale", "وزارة الصحة والحماية الاجتماعية", 12),
    ("MI", "Ministère de l'Intérieur", "وزارة الداخلية", 12),
    ("MJ", "Ministère de la Justice", "وزارة العدل", 5),
    ("MEF", "Ministère de l'Économie et des Finances", "وزارة الاقتصاد والمالية", 6),
    ("MAE", "Ministère des Affaires étrangères, de la Coopération africaine et des Marocains résidant à l'étranger", "وزارة الشؤون الخارجية والتعاون الإفريقي والمغاربة المقيمين بالخارج", 2),
    ("MAPMDREF", "Ministère de l'Agriculture, de la Pêche maritime, du Développement rural et des Eaux et Forêts", "وزارة الفلاحة والصيد البحري والتنمية القروية والمياه والغابات", 4),
    ("MESRSI", "Ministère de l'Enseignement supérieur, de la Recherche scientifique et de l'Innovation", "وزارة التعليم العالي والبحث العلمي والابتكار", 5),
    ("MEE", "Ministère de l'Équipement et de l'Eau", "وزارة التجهيز والماء", 3),
    ("MTL", "Ministère du Transport et de la Logistique", "وزارة النقل واللوجستيك", 2),
    ("MHAI", "Ministère des Habous et des Affaires islamiques", "وزارة الأوقاف والشؤون الإسلامية", 3),
    ("MJCC", "Ministère de la Jeunesse, de la Culture et de la Communication", "وزارة الشباب والثقافة والتواصل", 2),
    ("MIC", "Ministère de l'Industrie et du Commerce", "وزارة الصناعة والتجارة", 1),
    ("MTEDD", "Ministère de la Transition énergétique et du Développement durable", "وزارة الانتقال الطاقي والتنمية المستدامة", 1),
    ("MATNUHPV", "Ministère de l'Aménagement du territoire national, de l'Urbanisme, de l'Habitat et de la Politique de la ville", "وزارة إعداد التراب الوطني والتعمير والإسكان وسياسة المدينة", 1),
    ("MTAESS", "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire", "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني", 1),
    ("MSISF", "Ministère de la Solidarité, de l'Insertion sociale et de la Famille", "وزارة التضامن والإدماج الاجتماعي والأسرة", 1),
    ("HCP", "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط", 1),
    ("DGAPR", "Délégation générale à l'Administration pénitentiaire et à la Réinsertion", "المندوبية العامة لإدارة السجون وإعادة الإدماج", 3),
]  # fmt: skip

# (city, region code of members.models.Region, weight)
CITIES: list[tuple[str, str, int]] = [
    ("Tanger", "01", 6), ("Tétouan", "01", 3), ("Al Hoceïma", "01", 1), ("Larache", "01", 1),
    ("Oujda", "02", 4), ("Nador", "02", 2), ("Berkane", "02", 1),
    ("Fès", "03", 7), ("Meknès", "03", 5), ("Taza", "03", 2), ("Ifrane", "03", 1),
    ("Rabat", "04", 10), ("Salé", "04", 6), ("Kénitra", "04", 4), ("Témara", "04", 3), ("Khémisset", "04", 1),
    ("Béni Mellal", "05", 3), ("Khouribga", "05", 2), ("Khénifra", "05", 1),
    ("Casablanca", "06", 14), ("Mohammédia", "06", 2), ("El Jadida", "06", 2), ("Settat", "06", 2),
    ("Marrakech", "07", 7), ("Safi", "07", 2), ("Essaouira", "07", 1), ("El Kelâa des Sraghna", "07", 1),
    ("Errachidia", "08", 2), ("Ouarzazate", "08", 1), ("Zagora", "08", 1),
    ("Agadir", "09", 5), ("Inezgane", "09", 2), ("Taroudant", "09", 2), ("Tiznit", "09", 1),
    ("Guelmim", "10", 1), ("Tan-Tan", "10", 1), ("Laâyoune", "11", 2), ("Boujdour", "11", 1), ("Dakhla", "12", 1),
]  # fmt: skip

STREETS = [
    "Avenue Mohammed V", "Boulevard Hassan II", "Rue Ibn Khaldoun", "Rue Allal Ben Abdellah", "Hay Al Amal",
    "Lotissement Al Wahda", "Avenue des FAR", "Rue Abou Bakr Essedik", "Hay Essalam", "Quartier Industriel",
    "Résidence Al Majd", "Rue Moulay Ismail", "Avenue Al Massira", "Hay Mohammadi", "Rue Oued Sebou",
]  # fmt: skip

# Bank codes of RIBs (Attijariwafa, Bank of Africa, BMCI, Crédit du Maroc, SGMA, Banque Populaire, CIH, Al Barid)
BANK_CODES = ["007", "011", "013", "021", "022", "145", "190", "230", "350"]

# CIN prefixes: members and spouses draw from two sets so generated numbers never collide.
MEMBER_CIN_PREFIXES = ["A", "AB", "B", "BE", "BH", "BK", "C", "CD", "D", "E", "EE", "F", "G", "H", "I"]
MEMBER_CIN_PREFIXES += ["J", "JA", "JB", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "U", "W", "X", "Y", "Z"]
SPOUSE_CIN_PREFIXES = ["AA", "AD", "BB", "BJ", "CB", "DA", "DN", "EA", "FA", "GA", "GM", "HA", "IA", "JC", "JT"]

# (kind, sector, French name, Arabic name, city)
PROVIDERS: list[tuple[str, str, str, str, str]] = [
    ("doctor", "private", "Dr Karim Bennani, médecine générale", "د. كريم بناني، الطب العام", "Rabat"),
    ("doctor", "private", "Dr Fatima Zahra Alaoui, pédiatrie", "د. فاطمة الزهراء العلوي، طب الأطفال", "Casablanca"),
    ("doctor", "private", "Dr Youssef Tazi, cardiologie", "د. يوسف التازي، أمراض القلب", "Fès"),
    ("doctor", "private", "Dr Naima Berrada, gynécologie", "د. نعيمة برادة، أمراض النساء", "Marrakech"),
    ("doctor", "private", "Dr Hicham Cherkaoui, ophtalmologie", "د. هشام الشرقاوي، طب العيون", "Tanger"),
    ("doctor", "private", "Dr Salma Idrissi, dermatologie", "د. سلمى الإدريسي، الأمراض الجلدية", "Agadir"),
    ("doctor", "private", "Dr Omar Lahlou, médecine générale", "د. عمر لحلو، الطب العام", "Oujda"),
    ("doctor", "private", "Dr Khadija Amrani, chirurgie dentaire", "د. خديجة العمراني، جراحة الأسنان", "Meknès"),
    ("doctor", "private", "Dr Adil Kettani, orthopédie", "د. عادل الكتاني، جراحة العظام", "Kénitra"),
    ("doctor", "private", "Dr Meryem Sqalli, psychiatrie", "د. مريم الصقلي، الطب النفسي", "Salé"),
    ("doctor", "private", "Dr Rachid Filali, kinésithérapie", "د. رشيد الفيلالي، الترويض الطبي", "Béni Mellal"),
    ("pharmacy", "private", "Pharmacie Al Amal", "صيدلية الأمل", "Rabat"),
    ("pharmacy", "private", "Pharmacie Ibn Sina", "صيدلية ابن سينا", "Casablanca"),
    ("pharmacy", "private", "Pharmacie Al Andalous", "صيدلية الأندلس", "Fès"),
    ("pharmacy", "private", "Pharmacie de la Koutoubia", "صيدلية الكتبية", "Marrakech"),
    ("pharmacy", "private", "Pharmacie Al Massira", "صيدلية المسيرة", "Agadir"),
    ("pharmacy", "private", "Pharmacie du Détroit", "صيدلية المضيق", "Tanger"),
    ("pharmacy", "private", "Pharmacie Annahda", "صيدلية النهضة", "Oujda"),
    ("lab", "private", "Laboratoire d'analyses médicales Pasteur", "مختبر باستور للتحاليل الطبية", "Casablanca"),
    ("lab", "private", "Laboratoire Al Farabi", "مختبر الفارابي", "Rabat"),
    ("lab", "private", "Laboratoire Ibn Rochd", "مختبر ابن رشد", "Fès"),
    ("lab", "private", "Centre de radiologie Atlas", "مركز الأطلس للأشعة", "Marrakech"),
    ("clinic", "private", "Clinique Al Azhar", "مصحة الأزهر", "Rabat"),
    ("clinic", "private", "Clinique Les Orangers", "مصحة البرتقال", "Casablanca"),
    ("clinic", "private", "Clinique Al Kawtar", "مصحة الكوثر", "Fès"),
    ("clinic", "private", "Clinique du Sud", "مصحة الجنوب", "Agadir"),
    ("hospital", "public", "CHU Ibn Sina", "المركز الاستشفائي الجامعي ابن سينا", "Rabat"),
    ("hospital", "public", "CHU Ibn Rochd", "المركز الاستشفائي الجامعي ابن رشد", "Casablanca"),
    ("hospital", "public", "CHU Hassan II", "المركز الاستشفائي الجامعي الحسن الثاني", "Fès"),
    ("hospital", "public", "CHU Mohammed VI", "المركز الاستشفائي الجامعي محمد السادس", "Marrakech"),
    ("hospital", "public", "Hôpital régional Hassan II", "المستشفى الجهوي الحسن الثاني", "Agadir"),
]  # fmt: skip
