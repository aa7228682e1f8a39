import urql from '@urql/vue'
import { createApp } from 'vue'
import App from './App.vue'
import { client } from './app'
import { router } from './router'
import './styles.css'

createApp(App).use(urql, client).use(router).mount('#app')
