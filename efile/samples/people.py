"""Clients, offices and the people around them, drawn from large pools.

The pools are deliberately wide (many origins, many names, two Russian transliteration
schools, Vietnamese and Spanish multi-part names) so that a corpus generated for one seed
shares few name combinations with another seed: an evaluation set then contains people the
classifier or router has never seen, as the real office does every day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta


def words(text: str) -> list[str]:
    """A pool written as one string (compact to read); '_' joins multi-word entries."""
    return [w.replace("_", " ") for w in text.split()]


# origin: (ICAO code, German adjective, surnames, male given names, female given names, places)
ORIGINS: dict[str, tuple[str, str, list[str], list[str], list[str], list[str]]] = {
    "tr": ("TUR", "türkisch",
           words("Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan "
           "Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Karataş Erdoğan Güneş "
           "Aktaş Bulut Keskin Ünal Tekin Yavuz Acar Güler Taş Uçar Karakaya Sönmez Bozkurt "
           "Coşkun Toprak Gündoğdu Işık Ağca Çakır Erdem Akgül"),
           words("Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Emre Murat Burak Serkan Oğuz Barış "
           "Çağrı Yusuf Ömer Kemal Tolga Eren Halil Volkan Cem Gökhan Tuncay Erkan"),
           words("Ayşe Fatma Emine Hatice Zeynep Elif Merve Özlem Gül Büşra Sevgi Derya Gülşen Şeyma "
           "Esra Dilek Nur Yasemin Tuğba Ebru Hülya Çiğdem Songül Aylin"),
           words("İstanbul Ankara İzmir Konya Kayseri Trabzon Gaziantep Diyarbakır Samsun Erzurum "
           "Bursa Adana Wuppertal Solingen Duisburg")),
    "tr_de": ("TUR", "türkisch",  # born in Germany, names as German registries spelled them
              words("Yilmaz Sahin Cakir Oezdemir Guenes Dogan Kilic Coskun Oeztuerk Celik Simsek "
              "Yildirim Kocak Gueler Uenal Soenmez Erdogan Aydin Isik Karatas"),
              words("Mehmet Cem Deniz Can Murat Serdar Tarik Kaan Onur Sinan Baris Tuncay"),
              words("Aylin Derya Melek Canan Sibel Nesrin Yasemin Selin Dilara Tugba Esra"),
              words("Wuppertal Solingen Remscheid Hagen Köln Duisburg Gelsenkirchen")),
    "ar": ("SYR", "syrisch",
           words("Al-Hassan Haddad Khalil Ibrahim Mahmoud Al-Ahmad Hamdan Saleh Nasser Othman Darwish "
           "Al-Khatib Suleiman Youssef Abdullah Hussein Kassem Mansour Al-Ali Zaher Barakat "
           "Shaheen Al-Masri Qasim Aziz Sabbagh Issa Jaber Hammoud Al-Rifai Kanaan"),
           words("Ahmad Mohammed Omar Khaled Mahmoud Hassan Youssef Bilal Samer Tarek Rami Firas "
           "Wael Ziad Abdulrahman Hamza Anas Majd Osama"),
           words("Fatima Aisha Rania Layla Hala Nour Amal Maryam Zainab Yasmin Dima Lina Rasha Sara "
           "Hiba Reem Samira Ghada Hanan Noura"),
           words("Aleppo Damaskus Homs Hama Latakia Idlib Deir_ez-Zor Raqqa Qamishli")),
    "iq": ("IRQ", "irakisch",
           words("Al-Jubouri Al-Obaidi Kareem Jassim Hamad Al-Rubaie Mohammed Salman Abbas Kadhim "
           "Hasan Al-Tamimi Sheikhmous Khalaf Murad"),
           words("Haider Mustafa Ali Hussein Karrar Muntadher Ahmed Sajjad Dilshad Rebwar"),
           words("Zahraa Noor Shahad Ruqaya Dunya Huda Fatima Avin Jwan Sozan"),
           words("Bagdad Mossul Erbil Basra Kirkuk Dohuk Sulaimaniya")),
    "af": ("AFG", "afghanisch",
           words("Ahmadi Hosseini Rahimi Karimi Mohammadi Sultani Noori Haidari Sharifi Azizi Jafari "
           "Rezai Stanekzai Popal Wardak Amiri Nazari"),
           words("Ahmad Mohammad Farid Jawad Mustafa Sayed Rahim Naveed Hamid Khalid Basir Elyas"),
           words("Fatima Zahra Maryam Mursal Parwana Shabnam Farzana Nazanin Sahar Mahbooba Roya"),
           words("Kabul Herat Masar-e_Scharif Kandahar Dschalalabad Kundus Ghazni")),
    "ir": ("IRN", "iranisch",
           words("Rezaei Moradi Ghasemi Sadeghi Tehrani Shirazi Rostami Mousavi Farahani Kazemi "
           "Ebrahimi Bagheri Hashemi Najafi"),
           words("Reza Amir Hossein Mehdi Saeed Babak Kourosh Dariush Arash Farhad Pouya"),
           words("Fatemeh Narges Shirin Leila Mina Parisa Nasrin Soraya Azadeh Negar Sepideh"),
           words("Teheran Isfahan Schiras Täbris Maschhad Karadsch Ahvaz")),
    "pl": ("POL", "polnisch",
           words("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
           "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk "
           "Piotrowski Grabowski Pawłowski Michalski Król Wieczorek Jabłoński Wróbel "
           "Stępień Malinowski Górski Sikora Baran Michalak"),
           words("Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Grzegorz Łukasz Jakub Mateusz "
           "Wojciech Kamil Bartosz"),
           words("Anna Katarzyna Małgorzata Agnieszka Joanna Magdalena Ewa Monika Zofia Aleksandra "
           "Natalia Dorota Beata Żaneta"),
           words("Warszawa Kraków Łódź Wrocław Poznań Gdańsk Szczecin Lublin Katowice Opole")),
    "ua": ("UKR", "ukrainisch",
           words("Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Oliinyk Shevchuk "
           "Polishchuk Lysenko Boiko Koval Marchenko Rudenko Savchenko Petrenko Moroz Pavlenko "
           "Klymenko Kovalchuk Ponomarenko Tkachuk Hnatiuk Yaremchuk Didenko Honchar"),
           words("Oleksandr Andrii Serhii Dmytro Volodymyr Mykola Ivan Yurii Vasyl Taras Bohdan "
           "Maksym Oleh Vitalii Artem"),
           words("Olena Tetiana Nataliia Iryna Oksana Svitlana Yuliia Kateryna Anastasiia Mariia "
           "Halyna Liudmyla Viktoriia Khrystyna Daryna"),
           words("Kyiv Kharkiv Odesa Dnipro Lviv Zaporizhzhia Mykolaiv Poltava Chernihiv Sumy")),
    "ru": ("RUS", "russisch",  # ICAO transliteration, as in Russian passports
           words("Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov "
           "Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Orlov"),
           words("Sergei Aleksandr Dmitrii Andrei Vladimir Iurii Nikolai Mikhail Evgenii Oleg Igor "
           "Artem"),
           words("Elena Tatiana Natalia Svetlana Olga Irina Ekaterina Anastasiia Liudmila Marina "
           "Iuliia Kseniia"),
           words("Moskau Sankt-Peterburg Nowosibirsk Kasan Samara Omsk Saratow Krasnodar")),
    "ru_de": ("KAZ", "kasachisch",  # German transliteration (older documents, Aussiedler kin)
              words("Iwanow Smirnow Kusnezow Popow Wassiljew Petrow Sokolow Michailow Nowikow "
              "Fjodorow Morosow Wolkow Lebedew Semjonow Jegorow Pawlow Koslow Nikolajew"),
              words("Sergej Alexander Dmitrij Andrej Wladimir Juri Nikolai Michail Jewgenij Oleg "
              "Witali Artjom"),
              words("Jelena Tatjana Natalja Swetlana Olga Irina Jekaterina Anastasija Ljudmila "
              "Marina Julija Xenija"),
              words("Almaty Karaganda Pawlodar Schymkent Astana Qostanai Oral")),
    "vn": ("VNM", "vietnamesisch",
           words("Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Dinh Trinh "
           "Truong Mai"),
           words("Van_Minh Duc_Anh Quang_Huy Minh_Tuan Thanh_Hai Van_Hung Hoang_Nam Tuan_Anh "
           "Duc_Thang Van_Long Quoc_Bao Gia_Huy Manh_Cuong Trung_Kien"),
           words("Thi_Thu_Trang Thi_Lan Thi_Hong_Nhung Thi_Mai Thi_Ngoc_Anh Thi_Huong "
           "Thi_Phuong_Linh Thu_Ha Ngoc_Lan Thi_Thanh_Tam Bich_Ngoc Thi_Kim_Oanh"),
           words("Hanoi Hai_Phong Ho-Chi-Minh-Stadt Da_Nang Nam_Dinh Thai_Binh Nghe_An")),
    "ng": ("NGA", "nigerianisch",
           words("Okafor Adeyemi Okonkwo Eze Nwosu Olawale Adebayo Chukwu Obi Ogunleye Balogun Bello "
           "Abubakar Nwachukwu Okeke Onyeka Afolabi Oyelaran Ibekwe Adewale Nnamdi"),
           words("Chinedu Emeka Oluwaseun Tunde Ifeanyi Chukwuemeka Babatunde Olumide Abdullahi Uche "
           "Kelechi Segun Femi"),
           words("Ngozi Chiamaka Adaeze Funmilayo Folake Amaka Blessing Chioma Oluwakemi Nkechi "
           "Yetunde Temitope"),
           words("Lagos Abuja Ibadan Enugu Kano Port_Harcourt Benin_City Owerri")),
    "gh": ("GHA", "ghanaisch",
           words("Mensah Owusu Boateng Asante Osei Agyeman Appiah Addo Ofori Quaye Tetteh"),
           words("Kwame Kofi Kwabena Yaw Kojo Emmanuel Prince Isaac"),
           words("Ama Akosua Abena Efua Adwoa Gifty Comfort Priscilla"),
           words("Accra Kumasi Tamale Takoradi Cape_Coast")),
    "cm": ("CMR", "kamerunisch",
           words("Mbarga Nkoulou Tchoumi Ngono Fotso Kamga Tchakounte Mbappe Ndongo Essomba"),
           words("Jean-Pierre Serge Brice Herve Landry Franck Arnaud"),
           words("Marie-Claire Sandrine Laure Nadege Carine Ornella Vanessa"),
           words("Yaoundé Douala Bafoussam Garoua Bamenda")),
    "es": ("ESP", "spanisch",
           words("García_López Fernández_Ruiz González Rodríguez_Pérez López Martínez_Sánchez Gómez "
           "Jiménez Ruiz_Moreno Hernández Díaz Muñoz_Álvarez Romero Navarro_Torres"),
           words("José Juan Carlos Luis Javier Andrés Alejandro Diego Miguel_Ángel Jorge"),
           words("María_José Lucía Carmen Ana Sofía Isabel Laura Paula Nuria Pilar"),
           words("Madrid Sevilla Valencia Málaga Zaragoza Bilbao Murcia")),
    "co": ("COL", "kolumbianisch",
           words("Ramírez_Castillo Ortega Vargas_Rojas Morales Restrepo Gutiérrez_Ospina Cardona "
           "Quintero Valencia Londoño_Mejía"),
           words("Santiago Sebastián Andrés_Felipe Juan_Camilo Mateo Julián"),
           words("Valentina Camila Daniela Ximena Natalia Luisa_Fernanda Mariana"),
           words("Bogotá Medellín Cali Barranquilla Cartagena Bucaramanga")),
    "br": ("BRA", "brasilianisch",
           words("Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Nascimento Lima Araújo "
           "Carvalho Gonçalves Ribeiro"),
           words("João Pedro Lucas Gabriel Rafael Thiago Matheus Felipe"),
           words("Ana_Beatriz Juliana Fernanda Letícia Larissa Gabriela Bruna"),
           words("São_Paulo Rio_de_Janeiro Belo_Horizonte Salvador Curitiba Recife")),
    "in": ("IND", "indisch",
           words("Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Menon Rao Joshi Mehta Desai "
           "Chatterjee Banerjee Mukherjee Pillai Krishnan Verma Agarwal Kulkarni"),
           words("Rahul Arjun Vikram Aditya Rohan Siddharth Karthik Anil Sanjay Pranav Nikhil "
           "Venkatesh"),
           words("Priya Ananya Divya Kavya Sneha Pooja Lakshmi Shreya Neha Deepika Aishwarya "
           "Meera"),
           words("Bengaluru Mumbai Chennai Hyderabad Pune Delhi Kolkata Kochi")),
    "cn": ("CHN", "chinesisch",
           words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Zhu Hu Guo Lin Gao Luo"),
           words("Wei Lei Jun Yong Jie Tao Ming Chao Xiaoming Haoran Zihao Jianguo"),
           words("Fang Na Xiuying Min Jing Yan Yufei Zixuan Yuxin Xinyi Meiling"),
           words("Peking Shanghai Wuhan Chengdu Nanjing Shenyang Xian")),
    "xk": ("RKS", "kosovarisch",
           words("Krasniqi Gashi Berisha Morina Shala Hoxha Bytyqi Hasani Kelmendi Rexhepi Ahmeti "
           "Zeqiri"),
           words("Arben Besnik Driton Fatmir Blerim Valon Ilir Agon"),
           words("Arta Blerta Drita Vjosa Albana Egzona Fjolla Donjeta"),
           words("Priština Prizren Peja Gjakova Mitrovica Ferizaj")),
    "rs": ("SRB", "serbisch",
           words("Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Pavlović Milošević "
           "Stanković"),
           words("Nikola Marko Stefan Miloš Dragan Nemanja Dušan"),
           words("Jelena Milica Ivana Marija Dragana Snežana Tamara"),
           words("Beograd Niš Novi_Sad Kragujevac Subotica")),
    "ro": ("ROU", "rumänisch",
           words("Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Munteanu Constantin Rusu "
           "Țurcanu Lungu"),
           words("Andrei Mihai Ionuț Alexandru Florin Cătălin Bogdan"),
           words("Elena Ioana Andreea Mihaela Cristina Alina Roxana"),
           words("București Iași Cluj-Napoca Timișoara Constanța Craiova")),
    "er": ("ERI", "eritreisch",
           words("Tesfaye Haile Gebremedhin Tekle Berhane Kidane Mehari Yohannes Ghebreyesus "
           "Woldemariam Tesfamariam"),
           words("Yonas Dawit Samuel Filmon Robel Mussie Tesfalem Aron"),
           words("Senait Helen Selam Lidia Yordanos Saba Rahel Luwam"),
           words("Asmara Keren Massawa Mendefera Dekemhare")),
    "ph": ("PHL", "philippinisch",
           words("Santos Reyes Cruz Bautista Ocampo Mendoza Aquino Dela_Cruz Villanueva Ramos "
           "Castillo Garcia"),
           words("Jose_Miguel Mark_Anthony John_Paul Ramon Jericho Carlo"),
           words("Maria_Cristina Angelica Jennifer Rowena Rhea Liza Kristine"),
           words("Manila Cebu Davao Quezon_City Iloilo Baguio")),
}
# weights: who comes to a German immigration office (roughly, not statistics)
ORIGIN_WEIGHTS = {"tr": 14, "tr_de": 5, "ar": 10, "iq": 4, "af": 5, "ir": 3, "pl": 3, "ua": 9,
                  "ru": 4, "ru_de": 2, "vn": 5, "ng": 4, "gh": 2, "cm": 2, "es": 2, "co": 3,
                  "br": 2, "in": 7, "cn": 3, "xk": 4, "rs": 3, "ro": 2, "er": 3, "ph": 2}

GERMAN_SURNAMES = words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange "
    "Schmitt Werner Krause Meier Lehmann Köhler Herrmann König Walter Kaiser Fuchs Peters Scholz "
    "Möller Weiß Jung Hahn Vogel Keller Günther Berger Winkler Roth Lorenz Baumann Franke "
    "Albrecht Schuster Ludwig Böhm Winter Kraus Schumacher Krämer Vogt Stein Jäger Sommer Groß "
    "Seidel Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Pohl Engel Horn Busch "
    "Bergmann Voigt Sauer Arnold Pfeiffer Rademacher Hülsmann Overbeck Terhorst Wiesmann")
GERMAN_MALE = words(
    "Thomas Michael Andreas Stefan Christian Martin Frank Jürgen Klaus Jens Tobias "
    "Markus Sebastian Jan Matthias Dirk Uwe Ralf Henrik Torsten Carsten Björn")
GERMAN_FEMALE = words(
    "Sabine Petra Claudia Susanne Andrea Birgit Katrin Julia Anja Nicole Heike "
    "Lena Lisa Franziska Ute Monika Karin Britta Dagmar Kerstin Silke Jutta")

# offices: city, postcodes, ABH street, ABH postcode, seat of the administrative court, Finanzämter
OFFICES = [
    ("Wuppertal", ["42103", "42105", "42107", "42275", "42283", "42287", "42349"],
     "Steinweg 20", "42275", "Düsseldorf", ["Wuppertal-Barmen", "Wuppertal-Elberfeld"]),
    ("Solingen", ["42651", "42653", "42655", "42697", "42699"], "Cronenberger Straße 59/61",
     "42651", "Düsseldorf", ["Solingen"]),
    ("Hagen", ["58089", "58095", "58097", "58119", "58135"], "Berliner Platz 22", "58089",
     "Arnsberg", ["Hagen"]),
    ("Bochum", ["44787", "44791", "44793", "44801", "44866"], "Willy-Brandt-Platz 2-6", "44787",
     "Gelsenkirchen", ["Bochum-Mitte", "Bochum-Süd"]),
    ("Krefeld", ["47798", "47799", "47800", "47805", "47829"], "Konrad-Adenauer-Platz 17",
     "47803", "Düsseldorf", ["Krefeld"]),
    ("Bielefeld", ["33602", "33604", "33607", "33613", "33647"], "Niederwall 23", "33602",
     "Minden", ["Bielefeld-Innenstadt", "Bielefeld-Außenstadt"]),
    ("Münster", ["48143", "48145", "48147", "48151", "48155"], "Klemensstraße 10", "48143",
     "Münster", ["Münster-Innenstadt", "Münster-Außenstadt"]),
    ("Remscheid", ["42853", "42855", "42857", "42859", "42897"], "Elberfelder Straße 32", "42853",
     "Düsseldorf", ["Remscheid"]),
]
STREETS = (words("Friedrich-Ebert-Straße Hauptstraße Bahnhofstraße Kaiserstraße Gartenstraße "
           "Schulstraße Lindenallee Am_Markt Bergstraße Talstraße Mühlenweg Rosenstraße "
           "Wilhelmstraße Goethestraße Schillerstraße Kirchplatz Hochstraße Neue_Straße "
           "Uellendahler_Straße Heckinghauser_Straße Nordstraße Luisenstraße Gathe "
           "Westfalendamm Am_Brill Auf_dem_Kamp Sedanstraße Kölner_Straße Lessingstraße "
           "Marienstraße Herzogstraße Sternstraße Feldstraße Am_Wall"))
# (job, feminine form, monthly gross range in euros)
JOBS = [("Softwareentwickler", "Softwareentwicklerin", 4200, 7200),
        ("Pflegefachmann", "Pflegefachfrau", 3300, 4300),
        ("Fachkraft für Lagerlogistik", "Fachkraft für Lagerlogistik", 2600, 3300),
        ("Elektroniker", "Elektronikerin", 3000, 4100), ("Koch", "Köchin", 2400, 3200),
        ("Maschinenbauingenieur", "Maschinenbauingenieurin", 4300, 6600),
        ("Buchhalter", "Buchhalterin", 3000, 4200),
        ("Berufskraftfahrer", "Berufskraftfahrerin", 2700, 3400),
        ("Assistenzarzt", "Assistenzärztin", 4900, 6200), ("Data Scientist", "Data Scientist", 4600, 7000),
        ("Mechatroniker", "Mechatronikerin", 2900, 3900), ("Erzieher", "Erzieherin", 3000, 3900),
        ("Servicekraft", "Servicekraft", 2100, 2600), ("Produktionshelfer", "Produktionshelferin", 2200, 2800),
        ("Bauingenieur", "Bauingenieurin", 4100, 5900), ("Kundenberater", "Kundenberaterin", 2800, 3900),
        ("Altenpflegehelfer", "Altenpflegehelferin", 2400, 3000),
        ("IT-Systemadministrator", "IT-Systemadministratorin", 3600, 5400),
        ("Reinigungskraft", "Reinigungskraft", 2100, 2500),
        ("Kfz-Mechatroniker", "Kfz-Mechatronikerin", 2800, 3700),
        ("wissenschaftlicher Mitarbeiter", "wissenschaftliche Mitarbeiterin", 4000, 5600)]
_COMPANY_A = words("Bergische Rheinland Westfalen Nordstadt Tal Wupper Ruhr Sauerland Kamp Lenne "
              "Emscher Hanse Stern Linden Adler Kronen Mühlen Brücken")
_COMPANY_B = ["Präzisionstechnik GmbH", "Logistik GmbH & Co. KG", "Pflegedienst gGmbH",
              "Software AG", "Gastronomie GmbH", "Bau GmbH", "Elektrotechnik GmbH",
              "Kliniken gGmbH", "Metallverarbeitung KG", "Gebäudeservice GmbH", "IT-Services GmbH",
              "Automotive Systems GmbH", "Seniorenzentrum gGmbH", "Lebensmittel Handels GmbH"]
PASSPORT_CHARS = "CFGHJKLMNPRTVWXYZ0123456789"


def _pick(rng: random.Random, pool: list[str]) -> str:
    return rng.choice(pool)


def female_form(surname: str, origin: str) -> str:
    """Polish and Russian surnames change with gender (Kowalski/Kowalska, Ivanov/Ivanova)."""
    if origin == "pl" and surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    if origin in ("ru", "ru_de") and surname.endswith(("ov", "ev", "in", "ow", "ew")):
        return surname + "a"
    return surname


def company(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"{rng.choice(GERMAN_SURNAMES)} & {rng.choice(GERMAN_SURNAMES)} {rng.choice(_COMPANY_B)}"
    return f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)}"


def german_name(rng: random.Random, sex: str | None = None) -> tuple[str, str, str]:
    """(given name, surname, sex) of a German caseworker, landlord, doctor, lawyer ..."""
    sex = sex or rng.choice("MF")
    given = rng.choice(GERMAN_MALE if sex == "M" else GERMAN_FEMALE)
    return given, rng.choice(GERMAN_SURNAMES), sex


def foreign_name(rng: random.Random, origin: str, sex: str) -> tuple[str, str]:
    """(given names, surname) from an origin's pool; sometimes two given names."""
    _, _, surnames, male, female, _ = ORIGINS[origin]
    pool = male if sex == "M" else female
    given = _pick(rng, pool)
    if origin not in ("vn", "cn", "ng", "gh") and rng.random() < 0.18:
        second = _pick(rng, pool)
        if second != given:
            given = f"{given} {second}"
    surname = _pick(rng, surnames)
    return given, female_form(surname, origin) if sex == "F" else surname


def passport_number(rng: random.Random, code: str) -> str:
    """Passport numbers shaped roughly as the issuing state does (6-9 characters)."""
    if code == "TUR":
        return rng.choice("UZS") + "".join(rng.choice("0123456789") for _ in range(8))
    if code == "POL":
        return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + \
            "".join(rng.choice("0123456789") for _ in range(7))
    if code in ("UKR", "RUS", "KAZ"):
        return rng.choice(["FA", "FE", "FF", "GA", "N", "7"]) + \
            "".join(rng.choice("0123456789") for _ in range(7))
    if code in ("IND", "NGA", "GHA", "PHL"):
        return rng.choice("ABCJKLMNPRSTUVWZ") + "".join(rng.choice("0123456789") for _ in range(7))
    return "".join(rng.choice(PASSPORT_CHARS) for _ in range(rng.choice((8, 9, 9))))


def aktenzeichen(rng: random.Random) -> str:
    return f"ABH-{rng.randrange(2012, 2027)}-{rng.randrange(0, 1_000_000):06d}"


def new_person(rng: random.Random, office: tuple | None = None) -> dict[str, str]:
    """A client with everything the builders may print (all values strings, as in CSV)."""
    office = office or rng.choice(OFFICES)
    origin = rng.choices(list(ORIGIN_WEIGHTS), weights=list(ORIGIN_WEIGHTS.values()))[0]
    code, adjective, *_rest, places = ORIGINS[origin]
    sex = rng.choice("MF")
    given, surname = foreign_name(rng, origin, sex)
    birth = date(1958, 1, 1) + timedelta(days=rng.randrange(0, 365 * 47))
    city, postcodes = office[0], office[1]
    job_m, job_f, low, high = rng.choice(JOBS)
    salary = rng.randrange(low, high, 50)
    return {
        "surname": surname, "given_names": given,
        "birth_date": birth.strftime("%d.%m.%Y"), "birth_iso": birth.isoformat(),
        "birth_place": _pick(rng, places), "origin": origin,
        "nationality": code, "nationality_de": adjective, "sex": sex,
        "street": f"{rng.choice(STREETS)} {rng.randrange(1, 160)}{rng.choice(['', '', '', 'a', 'b'])}",
        "city": f"{rng.choice(postcodes)} {city}", "office": city,
        "passport": passport_number(rng, code),
        "passport_old": passport_number(rng, code) if rng.random() < 0.3 else "",
        "id_card": "".join(rng.choice(PASSPORT_CHARS) for _ in range(9)),
        "eat_number": rng.choice("YB") + "".join(rng.choice(PASSPORT_CHARS[:17] + "0123456789")
                                                 for _ in range(8)),
        "aktenzeichen": aktenzeichen(rng),
        "azr": f"{rng.randrange(10**11, 10**12)}" if rng.random() < 0.8 else "",
        "employer": company(rng), "job": job_m if sex == "M" else job_f, "salary": str(salary),
    }


def office_of(person: dict[str, str]) -> tuple:
    """The immigration office responsible for the person (by the city of residence)."""
    name = person.get("office") or person.get("city", "Wuppertal").split()[-1]
    return next((o for o in OFFICES if o[0] == name), OFFICES[0])
