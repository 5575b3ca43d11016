"""The public help center's own words (headings, notices, channel names) in many languages.

A built-in table covers common languages; `kb.yaml: labels` overrides any word per language.
Unknown languages fall back to English, key by key, so a help center never shows a blank.
Values may hold `{name}` fields (`{country}`, `{n}`, `{time}`, `{language}`, `{source}`),
filled by `Labels.get`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BUILTIN: dict[str, dict[str, str]] = {
    "en": {
        "help_center": "Help center",
        "home_title": "How can we help?",
        "home_intro": "Answers to common questions for customers in {country}.",
        "topics": "Browse by topic",
        "see_all": "All questions ({n})",
        "in_this_section": "Questions in this section",
        "contact": "Contact us",
        "contact_intro": "Our customer support team for {country} is happy to help.",
        "contact_teaser": "Can't find your answer? Our support team is here to help.",
        "support_hours": "Support hours",
        "channels": "How to reach us",
        "response_within": "We reply within {time}.",
        "fallback_notice": "This answer is not available in {language} yet, so it is shown in {source}.",
        "permalink": "Link to this question",
        "choose_title": "Choose your country and language",
        "change_country": "Change country or language",
        "hours_unit": "{n} hours",
        "minutes_unit": "{n} minutes",
        "channel_email": "Email", "channel_chat": "Live chat", "channel_whatsapp": "WhatsApp",
        "channel_line": "LINE", "channel_phone": "Phone", "channel_sms": "Text message (SMS)",
        "channel_social": "Social media", "channel_messenger": "Messenger",
    },
    "de": {
        "help_center": "Hilfe-Center",
        "home_title": "Wie können wir helfen?",
        "home_intro": "Antworten auf häufige Fragen für Kundinnen und Kunden in {country}.",
        "topics": "Themen",
        "see_all": "Alle Fragen ({n})",
        "in_this_section": "Fragen in diesem Bereich",
        "contact": "Kontakt",
        "contact_intro": "Unser Kundenservice für {country} hilft Ihnen gerne weiter.",
        "contact_teaser": "Keine passende Antwort gefunden? Unser Kundenservice hilft Ihnen gerne.",
        "support_hours": "Servicezeiten",
        "channels": "So erreichen Sie uns",
        "response_within": "Wir antworten innerhalb von {time}.",
        "fallback_notice": "Diese Antwort gibt es noch nicht auf {language}. Sie sehen sie auf {source}.",
        "permalink": "Link zu dieser Frage",
        "choose_title": "Land und Sprache wählen",
        "change_country": "Land oder Sprache ändern",
        "hours_unit": "{n} Stunden",
        "minutes_unit": "{n} Minuten",
        "channel_email": "E-Mail", "channel_chat": "Live-Chat", "channel_phone": "Telefon",
        "channel_sms": "SMS", "channel_social": "Soziale Medien",
    },
    "fr": {
        "help_center": "Centre d'aide",
        "home_title": "Comment pouvons-nous vous aider ?",
        "home_intro": "Réponses aux questions fréquentes des clients en {country}.",
        "topics": "Parcourir par thème",
        "see_all": "Toutes les questions ({n})",
        "in_this_section": "Questions de cette rubrique",
        "contact": "Nous contacter",
        "contact_intro": "Notre service client pour {country} est à votre écoute.",
        "contact_teaser": "Vous ne trouvez pas votre réponse ? Notre service client est là pour vous aider.",
        "support_hours": "Horaires du service client",
        "channels": "Comment nous joindre",
        "response_within": "Nous répondons sous {time}.",
        "fallback_notice": "Cette réponse n'est pas encore disponible en {language} ; elle est affichée en {source}.",
        "permalink": "Lien vers cette question",
        "choose_title": "Choisissez votre pays et votre langue",
        "change_country": "Changer de pays ou de langue",
        "hours_unit": "{n} heures",
        "minutes_unit": "{n} minutes",
        "channel_email": "E-mail", "channel_chat": "Chat en direct", "channel_phone": "Téléphone",
        "channel_sms": "SMS", "channel_social": "Réseaux sociaux",
    },
    "es": {
        "help_center": "Centro de ayuda",
        "home_title": "¿Cómo podemos ayudarte?",
        "home_intro": "Respuestas a las preguntas frecuentes de los clientes en {country}.",
        "topics": "Temas",
        "see_all": "Todas las preguntas ({n})",
        "in_this_section": "Preguntas de esta sección",
        "contact": "Contacto",
        "contact_intro": "Nuestro equipo de atención al cliente para {country} está aquí para ayudarte.",
        "contact_teaser": "¿No encuentras la respuesta? Nuestro equipo de atención al cliente te ayuda.",
        "support_hours": "Horario de atención",
        "channels": "Cómo contactarnos",
        "response_within": "Respondemos en un plazo de {time}.",
        "fallback_notice": "Esta respuesta aún no está disponible en {language}, por eso se muestra en {source}.",
        "permalink": "Enlace a esta pregunta",
        "choose_title": "Elige tu país e idioma",
        "change_country": "Cambiar de país o idioma",
        "hours_unit": "{n} horas",
        "minutes_unit": "{n} minutos",
        "channel_email": "Correo electrónico", "channel_chat": "Chat en vivo", "channel_phone": "Teléfono",
        "channel_sms": "SMS", "channel_social": "Redes sociales",
    },
    "it": {
        "help_center": "Centro assistenza",
        "home_title": "Come possiamo aiutarti?",
        "home_intro": "Risposte alle domande frequenti dei clienti in {country}.",
        "topics": "Argomenti",
        "see_all": "Tutte le domande ({n})",
        "in_this_section": "Domande in questa sezione",
        "contact": "Contattaci",
        "contact_intro": "Il nostro servizio clienti per {country} è a tua disposizione.",
        "contact_teaser": "Non trovi la risposta? Il nostro servizio clienti è qui per aiutarti.",
        "support_hours": "Orari del servizio clienti",
        "channels": "Come contattarci",
        "response_within": "Rispondiamo entro {time}.",
        "fallback_notice": "Questa risposta non è ancora disponibile in {language}, quindi è mostrata in {source}.",
        "permalink": "Link a questa domanda",
        "choose_title": "Scegli il paese e la lingua",
        "change_country": "Cambia paese o lingua",
        "hours_unit": "{n} ore",
        "minutes_unit": "{n} minuti",
        "channel_email": "E-mail", "channel_chat": "Chat dal vivo", "channel_phone": "Telefono",
        "channel_sms": "SMS", "channel_social": "Social media",
    },
    "nl": {
        "help_center": "Helpcentrum",
        "home_title": "Waarmee kunnen we helpen?",
        "home_intro": "Antwoorden op veelgestelde vragen voor klanten in {country}.",
        "topics": "Onderwerpen",
        "see_all": "Alle vragen ({n})",
        "in_this_section": "Vragen in dit onderdeel",
        "contact": "Contact",
        "contact_intro": "Onze klantenservice voor {country} helpt je graag.",
        "contact_teaser": "Geen antwoord gevonden? Onze klantenservice helpt je graag.",
        "support_hours": "Openingstijden klantenservice",
        "channels": "Zo bereik je ons",
        "response_within": "We antwoorden binnen {time}.",
        "fallback_notice": "Dit antwoord is nog niet beschikbaar in het {language}; het wordt getoond in het {source}.",
        "permalink": "Link naar deze vraag",
        "choose_title": "Kies je land en taal",
        "change_country": "Land of taal wijzigen",
        "hours_unit": "{n} uur",
        "minutes_unit": "{n} minuten",
        "channel_email": "E-mail", "channel_chat": "Livechat", "channel_phone": "Telefoon",
        "channel_sms": "Sms", "channel_social": "Sociale media",
    },
    "pt": {
        "help_center": "Central de ajuda",
        "home_title": "Como podemos ajudar?",
        "home_intro": "Respostas às perguntas frequentes dos clientes em {country}.",
        "topics": "Temas",
        "see_all": "Todas as perguntas ({n})",
        "in_this_section": "Perguntas desta seção",
        "contact": "Fale conosco",
        "contact_intro": "Nossa equipe de atendimento para {country} está pronta para ajudar.",
        "contact_teaser": "Não encontrou a resposta? Nossa equipe de atendimento pode ajudar.",
        "support_hours": "Horário de atendimento",
        "channels": "Como falar conosco",
        "response_within": "Respondemos em até {time}.",
        "fallback_notice": "Esta resposta ainda não está disponível em {language}; ela é mostrada em {source}.",
        "permalink": "Link para esta pergunta",
        "choose_title": "Escolha seu país e idioma",
        "change_country": "Mudar de país ou idioma",
        "hours_unit": "{n} horas",
        "minutes_unit": "{n} minutos",
        "channel_email": "E-mail", "channel_chat": "Chat ao vivo", "channel_phone": "Telefone",
        "channel_sms": "SMS", "channel_social": "Redes sociais",
    },
    "ja": {
        "help_center": "ヘルプセンター",
        "home_title": "どのようなことでお困りですか？",
        "home_intro": "{country}のお客様からよくいただくご質問への回答です。",
        "topics": "トピックから探す",
        "see_all": "すべての質問（{n}件）",
        "in_this_section": "このカテゴリの質問",
        "contact": "お問い合わせ",
        "contact_intro": "{country}のカスタマーサポートがお手伝いいたします。",
        "contact_teaser": "答えが見つかりませんか？カスタマーサポートがお手伝いいたします。",
        "support_hours": "サポート対応時間",
        "channels": "お問い合わせ方法",
        "response_within": "{time}以内にご返信いたします。",
        "fallback_notice": "この回答はまだ{language}で用意されていないため、{source}で表示しています。",
        "permalink": "この質問へのリンク",
        "choose_title": "国と言語を選択してください",
        "change_country": "国または言語を変更",
        "hours_unit": "{n}時間",
        "minutes_unit": "{n}分",
        "channel_email": "メール", "channel_chat": "ライブチャット", "channel_phone": "電話",
        "channel_sms": "SMS", "channel_social": "ソーシャルメディア",
    },
    "zh-CN": {
        "help_center": "帮助中心",
        "home_title": "有什么可以帮您？",
        "home_intro": "{country}顾客常见问题解答。",
        "topics": "按主题浏览",
        "see_all": "全部问题（{n}）",
        "in_this_section": "本栏目的问题",
        "contact": "联系我们",
        "contact_intro": "我们的{country}客服团队随时为您提供帮助。",
        "contact_teaser": "没有找到答案？我们的客服团队乐意为您提供帮助。",
        "support_hours": "客服时间",
        "channels": "联系方式",
        "response_within": "我们会在{time}内回复。",
        "fallback_notice": "此回答暂无{language}版本，以下显示的是{source}内容。",
        "permalink": "此问题的链接",
        "choose_title": "请选择国家/地区和语言",
        "change_country": "更改国家/地区或语言",
        "hours_unit": "{n}小时",
        "minutes_unit": "{n}分钟",
        "channel_email": "电子邮件", "channel_chat": "在线客服", "channel_phone": "电话",
        "channel_sms": "短信", "channel_social": "社交媒体",
    },
    "zh-TW": {
        "help_center": "說明中心",
        "home_title": "需要什麼協助？",
        "home_intro": "{country}顧客常見問題解答。",
        "topics": "依主題瀏覽",
        "see_all": "全部問題（{n}）",
        "in_this_section": "本類別的問題",
        "contact": "聯絡我們",
        "contact_intro": "我們的{country}客服團隊隨時為您服務。",
        "contact_teaser": "找不到答案嗎？我們的客服團隊樂意為您服務。",
        "support_hours": "客服時間",
        "channels": "聯絡方式",
        "response_within": "我們會在{time}內回覆。",
        "fallback_notice": "此回答尚無{language}版本，以下顯示的是{source}內容。",
        "permalink": "此問題的連結",
        "choose_title": "請選擇國家/地區和語言",
        "change_country": "變更國家/地區或語言",
        "hours_unit": "{n}小時",
        "minutes_unit": "{n}分鐘",
        "channel_email": "電子郵件", "channel_chat": "線上客服", "channel_phone": "電話",
        "channel_sms": "簡訊", "channel_social": "社群媒體",
    },
    "ko": {
        "help_center": "고객센터",
        "home_title": "무엇을 도와드릴까요?",
        "home_intro": "{country} 고객님이 자주 묻는 질문에 대한 답변입니다.",
        "topics": "주제별 보기",
        "see_all": "전체 질문 ({n})",
        "in_this_section": "이 주제의 질문",
        "contact": "문의하기",
        "contact_intro": "{country} 고객지원팀이 도와드리겠습니다.",
        "contact_teaser": "답변을 찾지 못하셨나요? 고객지원팀이 도와드리겠습니다.",
        "support_hours": "상담 시간",
        "channels": "문의 방법",
        "response_within": "{time} 이내에 답변드립니다.",
        "fallback_notice": "이 답변은 아직 {language}로 제공되지 않아 {source}로 표시합니다.",
        "permalink": "이 질문으로 연결되는 링크",
        "choose_title": "국가와 언어를 선택하세요",
        "change_country": "국가 또는 언어 변경",
        "hours_unit": "{n}시간",
        "minutes_unit": "{n}분",
        "channel_email": "이메일", "channel_chat": "실시간 채팅", "channel_phone": "전화",
        "channel_sms": "문자 메시지", "channel_social": "소셜 미디어",
    },
    "ar": {
        "help_center": "مركز المساعدة",
        "home_title": "كيف يمكننا مساعدتك؟",
        "home_intro": "إجابات عن الأسئلة الشائعة لعملائنا في {country}.",
        "topics": "تصفح حسب الموضوع",
        "see_all": "كل الأسئلة ({n})",
        "in_this_section": "الأسئلة في هذا القسم",
        "contact": "اتصل بنا",
        "contact_intro": "يسعد فريق خدمة العملاء في {country} بمساعدتك.",
        "contact_teaser": "لم تجد إجابتك؟ فريق خدمة العملاء جاهز لمساعدتك.",
        "support_hours": "ساعات عمل خدمة العملاء",
        "channels": "طرق التواصل معنا",
        "response_within": "نرد خلال {time}.",
        "fallback_notice": "هذه الإجابة غير متوفرة بعد باللغة {language}، لذلك نعرضها باللغة {source}.",
        "permalink": "رابط هذا السؤال",
        "choose_title": "اختر بلدك ولغتك",
        "change_country": "تغيير البلد أو اللغة",
        "hours_unit": "{n} ساعة",
        "minutes_unit": "{n} دقيقة",
        "channel_email": "البريد الإلكتروني", "channel_chat": "الدردشة المباشرة", "channel_whatsapp": "واتساب",
        "channel_phone": "الهاتف", "channel_sms": "الرسائل النصية", "channel_social": "وسائل التواصل الاجتماعي",
    },
    "he": {
        "help_center": "מרכז העזרה",
        "home_title": "איך נוכל לעזור?",
        "home_intro": "תשובות לשאלות נפוצות של לקוחות ב{country}.",
        "topics": "עיון לפי נושא",
        "see_all": "כל השאלות ({n})",
        "in_this_section": "שאלות בנושא זה",
        "contact": "צרו קשר",
        "contact_intro": "צוות שירות הלקוחות שלנו ב{country} ישמח לעזור.",
        "contact_teaser": "לא מצאתם תשובה? צוות שירות הלקוחות ישמח לעזור.",
        "support_hours": "שעות פעילות",
        "channels": "איך ליצור איתנו קשר",
        "response_within": "נשיב תוך {time}.",
        "fallback_notice": "תשובה זו עדיין אינה זמינה ב{language}, ולכן היא מוצגת ב{source}.",
        "permalink": "קישור לשאלה זו",
        "choose_title": "בחרו מדינה ושפה",
        "change_country": "שינוי מדינה או שפה",
        "hours_unit": "{n} שעות",
        "minutes_unit": "{n} דקות",
        "channel_email": "דוא\"ל", "channel_chat": "צ'אט חי", "channel_phone": "טלפון",
        "channel_sms": "הודעת SMS", "channel_social": "רשתות חברתיות",
    },
}


# The answer pages' words (breadcrumbs, last update, related answers, the help block), kept
# apart so each language's set is easy to review.
_ANSWER_PAGE: dict[str, dict[str, str]] = {
    "en": {"breadcrumbs": "You are here", "updated": "Last updated {date}", "related": "Related questions",
           "still_need_help": "Still need help?", "all_channels": "All ways to reach us"},
    "de": {"breadcrumbs": "Sie sind hier", "updated": "Zuletzt aktualisiert am {date}", "related": "Ähnliche Fragen",
           "still_need_help": "Brauchen Sie weitere Hilfe?", "all_channels": "Alle Kontaktwege"},
    "fr": {"breadcrumbs": "Vous êtes ici", "updated": "Dernière mise à jour : {date}", "related": "Questions similaires",
           "still_need_help": "Besoin d'aide supplémentaire ?", "all_channels": "Tous nos moyens de contact"},
    "es": {"breadcrumbs": "Estás aquí", "updated": "Última actualización: {date}", "related": "Preguntas relacionadas",
           "still_need_help": "¿Necesitas más ayuda?", "all_channels": "Todas las formas de contactarnos"},
    "it": {"breadcrumbs": "Ti trovi qui", "updated": "Ultimo aggiornamento: {date}", "related": "Domande correlate",
           "still_need_help": "Hai ancora bisogno di aiuto?", "all_channels": "Tutti i modi per contattarci"},
    "nl": {"breadcrumbs": "U bent hier", "updated": "Laatst bijgewerkt op {date}", "related": "Gerelateerde vragen",
           "still_need_help": "Nog hulp nodig?", "all_channels": "Alle manieren om ons te bereiken"},
    "pt": {"breadcrumbs": "Você está aqui", "updated": "Última atualização: {date}", "related": "Perguntas relacionadas",
           "still_need_help": "Ainda precisa de ajuda?", "all_channels": "Todas as formas de contato"},
    "ja": {"breadcrumbs": "現在の位置", "updated": "最終更新日: {date}", "related": "関連する質問",
           "still_need_help": "解決しない場合は", "all_channels": "お問い合わせ方法の一覧"},
    "zh-CN": {"breadcrumbs": "当前位置", "updated": "最后更新：{date}", "related": "相关问题",
              "still_need_help": "仍需帮助？", "all_channels": "所有联系方式"},
    "zh-TW": {"breadcrumbs": "目前位置", "updated": "最後更新：{date}", "related": "相關問題",
              "still_need_help": "仍需要協助嗎？", "all_channels": "所有聯絡方式"},
    "ko": {"breadcrumbs": "현재 위치", "updated": "최종 업데이트: {date}", "related": "관련 질문",
           "still_need_help": "도움이 더 필요하신가요?", "all_channels": "모든 문의 방법"},
    "ar": {"breadcrumbs": "أنت هنا", "updated": "آخر تحديث: {date}", "related": "أسئلة ذات صلة",
           "still_need_help": "هل ما زلت بحاجة إلى مساعدة؟", "all_channels": "كل طرق التواصل معنا"},
    "he": {"breadcrumbs": "אתם כאן", "updated": "עודכן לאחרונה: {date}", "related": "שאלות קשורות",
           "still_need_help": "עדיין צריכים עזרה?", "all_channels": "כל הדרכים ליצור קשר"},
}
# link text for a channel that has only a link (a chat page), no address to show
_ANSWER_PAGE["en"]["open_channel"] = "Open {channel}"
_ANSWER_PAGE["de"]["open_channel"] = "{channel} öffnen"
_ANSWER_PAGE["fr"]["open_channel"] = "Ouvrir {channel}"
_ANSWER_PAGE["es"]["open_channel"] = "Abrir {channel}"
_ANSWER_PAGE["it"]["open_channel"] = "Apri {channel}"
_ANSWER_PAGE["nl"]["open_channel"] = "{channel} openen"
_ANSWER_PAGE["pt"]["open_channel"] = "Abrir {channel}"
_ANSWER_PAGE["ja"]["open_channel"] = "{channel}を開く"
_ANSWER_PAGE["zh-CN"]["open_channel"] = "打开{channel}"
_ANSWER_PAGE["zh-TW"]["open_channel"] = "開啟{channel}"
_ANSWER_PAGE["ko"]["open_channel"] = "{channel} 열기"
_ANSWER_PAGE["ar"]["open_channel"] = "افتح {channel}"
_ANSWER_PAGE["he"]["open_channel"] = "פתיחת {channel}"
for _lang, _words in _ANSWER_PAGE.items():
    BUILTIN[_lang].update(_words)

# "Was this helpful?" on answer pages (kb.yaml feedback_url): the question, the two answers, the
# reasons offered after No, the optional text, and what the page says once the vote is sent.
_FEEDBACK_KEYS = ("feedback_question", "feedback_yes", "feedback_no", "feedback_reason", "reason_unclear",
                  "reason_incomplete", "reason_wrong", "reason_other", "feedback_details", "feedback_privacy",
                  "feedback_send", "feedback_thanks", "feedback_failed")
_FEEDBACK: dict[str, tuple[str, ...]] = {
    "en": ("Was this helpful?", "Yes", "No", "What went wrong?", "Hard to understand",
           "It didn't answer my question", "Wrong or out of date", "Something else", "Tell us more (optional)",
           "Please don't include personal details such as your name, email or order number.", "Send",
           "Thank you for your feedback.", "Your feedback could not be sent. Please try again later."),
    "de": ("War diese Antwort hilfreich?", "Ja", "Nein", "Was hat nicht gepasst?", "Schwer verständlich",
           "Meine Frage wurde nicht beantwortet", "Falsch oder veraltet", "Etwas anderes",
           "Erzählen Sie uns mehr (optional)",
           "Bitte geben Sie keine persönlichen Daten wie Name, E-Mail-Adresse oder Bestellnummer an.", "Senden",
           "Vielen Dank für Ihr Feedback.",
           "Ihr Feedback konnte nicht gesendet werden. Bitte versuchen Sie es später noch einmal."),
    "fr": ("Cette réponse vous a-t-elle aidé ?", "Oui", "Non", "Qu'est-ce qui n'allait pas ?",
           "Difficile à comprendre", "Ma question est restée sans réponse", "Inexact ou obsolète", "Autre chose",
           "Dites-nous en plus (facultatif)",
           "N'indiquez pas de données personnelles comme votre nom, votre e-mail ou votre numéro de commande.",
           "Envoyer", "Merci pour votre avis.", "Votre avis n'a pas pu être envoyé. Veuillez réessayer plus tard."),
    "es": ("¿Te ha resultado útil?", "Sí", "No", "¿Qué ha fallado?", "Difícil de entender",
           "No respondió a mi pregunta", "Incorrecto o desactualizado", "Otra cosa", "Cuéntanos más (opcional)",
           "No incluyas datos personales como tu nombre, correo electrónico o número de pedido.", "Enviar",
           "Gracias por tu opinión.", "No se ha podido enviar tu opinión. Inténtalo de nuevo más tarde."),
    "it": ("Ti è stato utile?", "Sì", "No", "Che cosa non andava?", "Difficile da capire",
           "Non ha risposto alla mia domanda", "Errato o non aggiornato", "Altro", "Raccontaci di più (facoltativo)",
           "Non inserire dati personali come nome, e-mail o numero d'ordine.", "Invia",
           "Grazie per il tuo feedback.", "Non è stato possibile inviare il feedback. Riprova più tardi."),
    "nl": ("Was dit nuttig?", "Ja", "Nee", "Wat ging er mis?", "Moeilijk te begrijpen",
           "Mijn vraag werd niet beantwoord", "Onjuist of verouderd", "Iets anders", "Vertel ons meer (optioneel)",
           "Vermeld geen persoonlijke gegevens zoals uw naam, e-mailadres of bestelnummer.", "Versturen",
           "Bedankt voor uw feedback.", "Uw feedback kon niet worden verstuurd. Probeer het later opnieuw."),
    "pt": ("Isto foi útil?", "Sim", "Não", "O que deu errado?", "Difícil de entender",
           "Não respondeu à minha pergunta", "Incorreto ou desatualizado", "Outra coisa", "Conte-nos mais (opcional)",
           "Não inclua dados pessoais como nome, e-mail ou número do pedido.", "Enviar",
           "Obrigado pelo seu feedback.", "Não foi possível enviar seu feedback. Tente novamente mais tarde."),
    "ja": ("この回答は役に立ちましたか？", "はい", "いいえ", "どの点が問題でしたか？", "分かりにくい",
           "質問の答えになっていない", "内容が誤っている・古い", "その他", "詳しく教えてください（任意）",
           "お名前、メールアドレス、注文番号などの個人情報は入力しないでください。", "送信",
           "フィードバックをありがとうございました。", "フィードバックを送信できませんでした。しばらくしてからもう一度お試しください。"),
    "zh-CN": ("这篇回答有帮助吗？", "有", "没有", "哪里有问题？", "难以理解", "没有回答我的问题", "内容错误或过时",
              "其他原因", "详细说明（可选）", "请勿填写姓名、邮箱或订单号等个人信息。", "提交", "感谢您的反馈。",
              "反馈未能提交，请稍后再试。"),
    "zh-TW": ("這篇回答有幫助嗎？", "有", "沒有", "哪裡有問題？", "難以理解", "沒有回答我的問題", "內容錯誤或過時",
              "其他原因", "詳細說明（選填）", "請勿填寫姓名、電子郵件或訂單編號等個人資料。", "送出", "感謝您的意見回饋。",
              "意見回饋未能送出，請稍後再試。"),
    "ko": ("도움이 되었나요?", "예", "아니요", "어떤 점이 문제였나요?", "이해하기 어려움", "질문에 대한 답이 아님",
           "틀리거나 오래된 정보", "기타", "자세히 알려 주세요(선택)",
           "이름, 이메일, 주문 번호 같은 개인 정보는 입력하지 마세요.", "보내기", "의견을 보내 주셔서 감사합니다.",
           "의견을 보내지 못했습니다. 잠시 후 다시 시도해 주세요."),
    "ar": ("هل كانت هذه الإجابة مفيدة؟", "نعم", "لا", "ما المشكلة؟", "صعبة الفهم", "لم تُجب عن سؤالي",
           "خاطئة أو قديمة", "سبب آخر", "أخبرنا بالمزيد (اختياري)",
           "يُرجى عدم كتابة بيانات شخصية مثل الاسم أو البريد الإلكتروني أو رقم الطلب.", "إرسال",
           "شكرًا لك على ملاحظاتك.", "تعذّر إرسال ملاحظاتك. يُرجى المحاولة مرة أخرى لاحقًا."),
    "he": ("האם התשובה עזרה?", "כן", "לא", "מה לא היה בסדר?", "קשה להבנה", "לא ענתה על השאלה שלי",
           "שגויה או לא עדכנית", "סיבה אחרת", "ספרו לנו עוד (לא חובה)",
           "נא לא לכתוב פרטים אישיים כמו שם, דוא\"ל או מספר הזמנה.", "שליחה", "תודה על המשוב.",
           "לא הצלחנו לשלוח את המשוב. נסו שוב מאוחר יותר."),
}
for _lang, _texts in _FEEDBACK.items():
    BUILTIN[_lang].update(zip(_FEEDBACK_KEYS, _texts, strict=True))
REASONS = ("unclear", "incomplete", "wrong", "other")  # sent as the reason's first word, whatever the language


_FIELD = re.compile(r"\{([a-z_]+)\}")


@dataclass
class Labels:
    """The UI words of one language: kb.yaml overrides, then the built-in language, then English."""

    lang: str
    words: dict[str, str] = field(default_factory=dict)
    overridden: frozenset[str] = frozenset()  # keys that kb.yaml `labels:` set

    def get(self, key: str, **values: object) -> str:
        """The word for key with `{name}` fields filled; the key itself when nobody defined it."""
        text = self.words.get(key)
        if text is None:
            return key
        if not values:
            return text
        # A plain substitution, not str.format: labels are author-editable text, and an unknown
        # `{field}` is left as written rather than failing the build.
        return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)

    def channel(self, channel_type: str) -> str:
        """The name of a contact channel type (email, chat, whatsapp ...)."""
        word = self.words.get(f"channel_{channel_type}")
        return word or channel_type.replace("-", " ").replace("_", " ").capitalize()


def builtin_for(lang: str) -> dict[str, str]:
    """The built-in words for a language code (exact code first, then its base language)."""
    if lang in BUILTIN:
        return BUILTIN[lang]
    base = lang.split("-")[0]
    if base == "zh":
        return BUILTIN["zh-TW"] if lang.lower() in ("zh-tw", "zh-hk", "zh-hant") else BUILTIN["zh-CN"]
    return BUILTIN.get(base, {})


def labels_for(lang: str, overrides: dict[str, dict[str, str]] | None = None) -> Labels:
    """The UI words for a help center language, with kb.yaml `labels:` applied on top."""
    words = dict(BUILTIN["en"])
    words.update(builtin_for(lang))
    custom: dict[str, str] = {}
    if overrides:
        base = lang.split("-")[0]
        if base != lang:
            custom.update({k: str(v) for k, v in (overrides.get(base) or {}).items()})
        custom.update({k: str(v) for k, v in (overrides.get(lang) or {}).items()})
    words.update(custom)
    return Labels(lang, words, frozenset(custom))
