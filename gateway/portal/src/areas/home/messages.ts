export default {
  zh: {
    title: '首页',
    heading: '重庆离岸创新创业项目对接会',
    intro: '面向海内外博士、博士后的全年对接平台：人才与团队对接重庆的高校、科研院所、企业、园区和投资机构。',
    start: '立即注册',
    signedIn: '欢迎，{login}',
    channels: '四个对接渠道',
  },
  en: {
    title: 'Home',
    heading: 'Chongqing Offshore Innovation & Entrepreneurship Project Fair',
    intro: 'A year-round platform for PhDs and postdocs at home and abroad: talents and their teams meet Chongqing’s universities, institutes, enterprises, parks and investors.',
    start: 'Sign up now',
    signedIn: 'Welcome, {login}',
    channels: 'The four channels',
  },
}
